import { ConfigError } from '../config.js';

/**
 * Runs a command's body, turning failures into one readable line and exit code 1 instead of a stack trace
 * (set DEBUG=1 to see the stack).
 */
export async function runCli(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`error: ${message}\n`);
    if (process.env.DEBUG && error instanceof Error && !(error instanceof ConfigError)) process.stderr.write(`${error.stack}\n`);
    process.exitCode = 1;
  }
}
