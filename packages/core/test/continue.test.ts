import { describe, expect, it } from 'vitest';
import { type ContinueResponse, continueUnlessTooLarge } from '../src/index.js';

const auth = {
  handles: (pathname: string) => pathname.startsWith('/auth/'),
  maxBodyBytes: 100,
  realm: 'auth',
};

function fakeResponse() {
  const calls: string[] = [];
  let head: { status: number; headers: Record<string, string | number> } | undefined;
  let body = '';
  const res: ContinueResponse = {
    writeContinue: () => calls.push('continue'),
    writeHead: (status, headers) => {
      head = { status, headers };
      calls.push(`head ${status}`);
    },
    end: (text) => {
      body = text;
      calls.push('end');
    },
  };
  return { res, calls, head: () => head, body: () => body };
}

function run(url: string, length: string | undefined) {
  const served: string[] = [];
  const listener = continueUnlessTooLarge(auth, (req) => {
    served.push(req.url ?? '');
  });
  const fake = fakeResponse();
  listener({ url, headers: length === undefined ? {} : { 'content-length': length } }, fake.res);
  return { ...fake, served };
}

describe('continueUnlessTooLarge', () => {
  it('answers 413 at once for a declared body over the cap on an auth route', () => {
    const { calls, head, body, served } = run('/auth/login?x=1', '101');
    expect(calls).toEqual(['head 413', 'end']);
    expect(served).toEqual([]);
    expect(head()?.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      pragma: 'no-cache',
      connection: 'close',
      'content-length': body().length,
    });
    expect(JSON.parse(body())).toEqual({
      error: 'payload_too_large',
      error_description: 'the request body is too large',
    });
  });

  it('sends 100 Continue and serves everything else', () => {
    const cases: Array<[string, string | undefined]> = [
      ['/auth/login', '100'], // at the cap
      ['/auth/login', undefined], // chunked: the size is not known yet
      ['/upload', '100000'], // not an auth route: the app decides
      ['*', '100000'], // no route at all
      ['/auth/login', '1e9'], // not a length Node would accept: left to the parser
    ];
    for (const [url, length] of cases) {
      const { calls, served } = run(url, length);
      expect(calls, `${url} ${length}`).toEqual(['continue']);
      expect(served, `${url} ${length}`).toEqual([url]);
    }
  });

  it('routes an absolute-form target by its path', () => {
    expect(run('http://api.test/auth/register', '5000').calls).toEqual(['head 413', 'end']);
  });
});
