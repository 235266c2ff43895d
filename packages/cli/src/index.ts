export async function runCli(argv: string[]): Promise<number> {
  console.log("migrate-relay", argv.join(" "));
  return 0;
}
