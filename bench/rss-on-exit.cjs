// Preloaded into the bench's child processes (node --require): prints the process's peak RSS on exit.
process.on("exit", () => {
  process.stderr.write(`\nPEAK_RSS_KB=${process.resourceUsage().maxRSS}\n`);
});
