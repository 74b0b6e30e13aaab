// Request bodies survive the 401 heal intact; a one-shot stream is replayed or surfaced, as flagged.
import { ECHO_PATH, type EchoResponse } from '@authwire/msw';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from './context.ts';

const bytes = new Uint8Array(Array.from({ length: 300 }, (_, i) => (i * 7) % 256));
const base64 = Buffer.from(bytes).toString('base64');

/** Replayable bodies, and how to tell they arrived intact. */
const BODIES: Record<string, { make: () => unknown; check: (echo: EchoResponse) => void }> = {
  JSON: {
    make: () => ({ order: 42, lines: ['a', 'b'] }),
    check: (echo) => expect(JSON.parse(echo.body)).toEqual({ order: 42, lines: ['a', 'b'] }),
  },
  string: { make: () => 'plain text ✓', check: (echo) => expect(echo.body).toBe('plain text ✓') },
  URLSearchParams: {
    make: () => new URLSearchParams({ a: '1', b: 'two words' }),
    check: (echo) => expect(echo.body).toBe('a=1&b=two+words'),
  },
  FormData: {
    make: () => {
      const form = new FormData();
      form.append('field', 'value-1');
      form.append('file', new Blob(['file-content']), 'f.txt');
      return form;
    },
    check: (echo) => {
      expect(echo.contentType).toMatch(/^multipart\/form-data; boundary=/);
      expect(echo.body).toMatch(/name="field"\r\n\r\nvalue-1\r\n/);
      expect(echo.body).toMatch(/filename="f.txt"[\s\S]*\r\n\r\nfile-content\r\n/);
    },
  },
  Blob: { make: () => new Blob([bytes]), check: (echo) => expect(echo.bodyBase64).toBe(base64) },
  ArrayBuffer: {
    make: () => bytes.slice().buffer,
    check: (echo) => expect(echo.bodyBase64).toBe(base64),
  },
};

const stream = (): ReadableStream<Uint8Array> =>
  new ReadableStream({
    start(controller) {
      controller.enqueue(bytes.slice());
      controller.close();
    },
  });

export function bodiesBehaviour(ctx: SuiteContext): void {
  describe('request bodies', () => {
    // A server that reads the upload, then refuses the token. (When a handler answers before
    // reading, MSW closes the upload early and got's FormData encoder fails on its own — a mock
    // artifact: against node:http got replays it, see packages/got/test.)
    const refuseOnce = (): string[] => {
      const refused: string[] = [];
      ctx.server.use(
        http.post(
          ctx.platform.echoUrl,
          async ({ request }) => {
            await request.arrayBuffer();
            refused.push(request.headers.get(ctx.platform.tokenHeader) ?? '');
            return new HttpResponse(null, { status: 401 });
          },
          { once: true },
        ),
      );
      return refused;
    };

    const bodies = Object.entries(BODIES).filter(
      ([name]) => name !== 'FormData' || ctx.capabilities.formDataBody,
    );
    it.each(bodies)('re-sends a %s body intact after a 401', async (_, body) => {
      const driver = ctx.driver();
      const refused = refuseOnce();
      const result = await driver.post(ctx.platform.echoUrl, body.make());
      expect(result.status).toBe(200);
      const echo = result.body as EchoResponse;
      body.check(echo);
      expect(refused).toHaveLength(1);
      const sent = echo.headers[ctx.platform.tokenHeader];
      expect(sent).toMatch(ctx.platform.tokenHeader === 'authorization' ? /^bearer /i : /\S/);
      expect(sent).not.toBe(refused[0]);
      expect(ctx.records(ECHO_PATH)).toHaveLength(1);
    });

    // One-shot streams cannot be replayed, except where the adapter's retry copy buffers them
    // (openapi-fetch clones the Request); either way the outcome is asserted, never skipped.
    it('handles a stream body after a 401 the way the adapter documents', async () => {
      const driver = ctx.driver();
      const refused = refuseOnce();
      const result = await driver.post(ctx.platform.echoUrl, stream());
      expect(refused).toHaveLength(1);
      if (ctx.capabilities.streamBodyRetry) {
        expect(result.status).toBe(200);
        expect((result.body as EchoResponse).bodyBase64).toBe(base64);
      } else {
        expect(result.status).toBe(401);
        expect(ctx.records(ECHO_PATH)).toHaveLength(0);
      }
    });
  });
}
