/** `answerClientError`: Node's statuses with JSON bodies, and nothing written mid-response. */
import { describe, expect, it } from 'vitest';
import { answerClientError, type ClientErrorSocket, clientErrorAnswer } from '../src/index.js';

function fakeSocket(over: Partial<ClientErrorSocket> = {}) {
  const written: string[] = [];
  let destroyed = 0;
  const socket: ClientErrorSocket = {
    writable: true,
    write: (data: string) => written.push(data),
    destroy: () => {
      destroyed += 1;
    },
    ...over,
  };
  return { socket, written, destroyed: () => destroyed };
}

function parse(raw: string) {
  const [head = '', body = ''] = raw.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(
    lines.map((line) => [
      line.slice(0, line.indexOf(':')).toLowerCase(),
      line.slice(line.indexOf(':') + 1).trim(),
    ]),
  );
  return {
    statusLine,
    headers,
    body: JSON.parse(body) as Record<string, string>,
    length: body.length,
  };
}

describe('clientErrorAnswer', () => {
  it.each([
    ['HPE_HEADER_OVERFLOW', 'HTTP/1.1 431 Request Header Fields Too Large', 'invalid_request'],
    ['HPE_CHUNK_EXTENSIONS_OVERFLOW', 'HTTP/1.1 413 Payload Too Large', 'payload_too_large'],
    ['ERR_HTTP_REQUEST_TIMEOUT', 'HTTP/1.1 408 Request Timeout', 'invalid_request'],
    ['HPE_INVALID_METHOD', 'HTTP/1.1 501 Not Implemented', 'invalid_request'],
    ['HPE_INVALID_HEADER_TOKEN', 'HTTP/1.1 400 Bad Request', 'invalid_request'],
    ['toString', 'HTTP/1.1 400 Bad Request', 'invalid_request'],
    [undefined, 'HTTP/1.1 400 Bad Request', 'invalid_request'],
    [42, 'HTTP/1.1 400 Bad Request', 'invalid_request'],
  ])('%s → %s', (code, statusLine, error) => {
    const answer = parse(clientErrorAnswer(code));
    expect(answer.statusLine).toBe(statusLine);
    expect(answer.body.error).toBe(error);
    expect(answer.body.error_description).toMatch(/\w/);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Number(answer.headers['content-length'])).toBe(answer.length);
    expect(answer.headers.connection).toBe('close');
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.headers.pragma).toBe('no-cache');
  });
});

describe('answerClientError', () => {
  it('writes the answer and closes the connection', () => {
    const s = fakeSocket();
    answerClientError({ code: 'HPE_INVALID_METHOD' }, s.socket);
    expect(s.written).toHaveLength(1);
    expect(s.written[0]).toMatch(/^HTTP\/1\.1 501 /);
    expect(s.destroyed()).toBe(1);
  });

  it('writes nothing when a response on the connection has begun, or it is not writable', () => {
    for (const over of [
      { _httpMessage: { headersSent: true } },
      { writable: false },
    ] satisfies Partial<ClientErrorSocket>[]) {
      const s = fakeSocket(over);
      answerClientError({ code: 'HPE_INVALID_METHOD' }, s.socket);
      expect(s.written).toEqual([]);
      expect(s.destroyed()).toBe(1);
    }
  });

  it('answers when the in-flight response has not sent its headers yet', () => {
    const s = fakeSocket({ _httpMessage: { headersSent: false } });
    answerClientError(new Error('parse error'), s.socket);
    expect(s.written[0]).toMatch(/^HTTP\/1\.1 400 /);
  });
});
