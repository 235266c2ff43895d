// Placeholder: will save the license grant cache once the action is built.
export async function post(): Promise<void> {}
