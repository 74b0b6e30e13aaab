// msw's root module opens a BroadcastChannel at import, which keeps Deno running after a script
// ends; @authwire/msw must load only `msw/http` and `msw/utils/*` at run time (the Deno runtime
// smoke test shows the hang; this test names the file that brought it back).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = join(import.meta.dirname, '../src');
const files = readdirSync(src).filter((name) => name.endsWith('.ts'));

describe('@authwire/msw imports of msw', () => {
  it.each(files)('%s loads no value from msw’s root module', (name) => {
    const text = readFileSync(join(src, name), 'utf8');
    const rootImports = [...text.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'msw';/gm)];
    expect(rootImports.filter((match) => match[1] === undefined).map((match) => match[0])).toEqual(
      [],
    );
  });
});
