export async function post(): Promise<void> {}
