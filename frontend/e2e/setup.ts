import { BASE_URL } from './harness';

// Without a stack there is nothing to test. In CI that is a failure, not a
// silent pass; by hand it is a loud skip.
if (!BASE_URL) {
  const message =
    'ORDERLY_BASE_URL is not set: the browser tests need a running Orderly stack. ' +
    'Run `make test-browser`, or start `make run` and set ORDERLY_BASE_URL=http://127.0.0.1:8080.';
  if (process.env['CI'] === 'true') throw new Error(message);
  console.warn(`\n${'!'.repeat(80)}\n${message}\nSKIPPING every browser test.\n${'!'.repeat(80)}\n`);
}
