import { execFileSync } from 'node:child_process';

export interface TmuxServer {
  /** Runs one tmux command on this server and returns what it printed. */
  tmux(...args: string[]): string;
  /** Ends the server and every session on it; quiet when it has already gone. */
  killServer(): void;
}

let serversStarted = 0;

/**
 * A tmux server of the caller's own. Every call gets a new socket: `kill-server` returns before the
 * old server has exited, and a `new-session` on the same socket in that moment fails with
 * "server exited unexpectedly".
 */
export function tmuxServer(purpose: string): TmuxServer {
  serversStarted++;
  const socket = `phonedoc-${purpose}-${process.pid}-${serversStarted}`;
  const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  return {
    tmux,
    killServer: () => {
      try {
        tmux('kill-server');
      } catch {
        // Already gone.
      }
    },
  };
}
