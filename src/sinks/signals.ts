/**
 * Flush-on-signal for hosts that let the dispatcher own shutdown. Internal to the dispatcher.
 */

/**
 * Installs one-shot handlers for `signals`. On the first signal: run `close`, then, when nobody
 * else listens to that signal, re-raise it so the process ends the way it would have without us
 * (exit by signal, status 128 + n). When the host has its own handler, we only flush and leave
 * the decision to exit to it. Returns the uninstaller.
 */
export function installSignalHandlers(
  signals: readonly NodeJS.Signals[],
  close: () => Promise<void>,
  report: (error: unknown) => void,
): () => void {
  const handlers = new Map<NodeJS.Signals, () => void>();
  const uninstall = () => {
    for (const [signal, handler] of handlers) process.removeListener(signal, handler);
    handlers.clear();
  };
  for (const signal of signals) {
    const handler = () => {
      uninstall();
      close()
        .catch(report)
        .finally(() => {
          if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
        });
    };
    handlers.set(signal, handler);
    process.on(signal, handler);
  }
  return uninstall;
}
