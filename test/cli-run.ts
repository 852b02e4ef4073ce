/** Runs the `cdk8s-istio-traffic` command in this process; returns its exit code and what it printed. */
import { main } from '../src/cli';

export function runCli(...args: string[]): { code: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => out.push(String(chunk)) > 0);
  const log = jest.spyOn(console, 'log').mockImplementation((...parts: any[]) => out.push(`${parts.join(' ')}\n`));
  const error = jest.spyOn(console, 'error').mockImplementation((...parts: any[]) => err.push(`${parts.join(' ')}\n`));
  try {
    return { code: main(args), out: out.join(''), err: err.join('') };
  } finally {
    write.mockRestore();
    log.mockRestore();
    error.mockRestore();
  }
}
