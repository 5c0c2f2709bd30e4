/**
 * Work that must finish before a stopping process closes its pool (an event relay kicked by
 * the last requests). Modules register their own, so the server need not know about them.
 */
const hooks = new Set<() => Promise<void>>();

export function beforePoolCloses(hook: () => Promise<void>): void {
  hooks.add(hook);
}

export async function runShutdownHooks(): Promise<void> {
  await Promise.allSettled([...hooks].map((hook) => hook()));
}
