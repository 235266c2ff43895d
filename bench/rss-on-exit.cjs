// Preloaded into the bench's child processes (node --require): prints the process's peak RSS and
// CPU time on exit.
process.on("exit", () => {
  const u = process.resourceUsage();
  process.stderr.write(
    `\nPEAK_RSS_KB=${u.maxRSS} CPU_MS=${Math.round((u.userCPUTime + u.systemCPUTime) / 1000)}\n`,
  );
});
