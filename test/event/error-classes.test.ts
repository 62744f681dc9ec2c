import { describe, expect, it } from 'vitest';
import { classifyErrorCode, toProviderError, toProviderErrors } from '../../src/event/error-classes.js';

describe('classifyErrorCode()', () => {
  it('classifies the codes the issue names', () => {
    expect(classifyErrorCode('131047')).toBe('policy');
    expect(classifyErrorCode(470)).toBe('policy');
    expect(classifyErrorCode('131026')).toBe('permanent');
    expect(classifyErrorCode(130429)).toBe('retryable');
    expect(classifyErrorCode('131000')).toBe('retryable');
    expect(classifyErrorCode('131049')).toBe('policy');
    expect(classifyErrorCode('999999')).toBe('unknown');
    expect(classifyErrorCode('invalid_number')).toBe('permanent');
  });
});

describe('toProviderError()', () => {
  it('maps Cloud error objects with error_data.details', () => {
    expect(
      toProviderError({
        code: 131049,
        title: 'This message was not delivered to maintain healthy ecosystem engagement.',
        message: 'This message was not delivered to maintain healthy ecosystem engagement.',
        error_data: { details: 'In order to maintain a healthy ecosystem engagement, the message failed to be delivered.' },
        href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
      }),
    ).toEqual({
      code: '131049',
      class: 'policy',
      title: 'This message was not delivered to maintain healthy ecosystem engagement.',
      message: 'This message was not delivered to maintain healthy ecosystem engagement.',
      details: 'In order to maintain a healthy ecosystem engagement, the message failed to be delivered.',
      href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
    });
  });

  it('is lenient with odd input', () => {
    expect(toProviderError(null)).toEqual({ code: 'unknown', class: 'unknown' });
    expect(toProviderError({ code: '', title: 5 })).toEqual({ code: 'unknown', class: 'unknown' });
    expect(toProviderError({ code: 480, details: 'x' })).toEqual({ code: '480', class: 'policy', details: 'x' });
    expect(toProviderErrors('nope')).toEqual([]);
    expect(toProviderErrors([{ code: 0 }])).toEqual([{ code: '0', class: 'permanent' }]);
  });
});

describe('toProviderErrors()', () => {
  it('skips the holes of sparse arrays', () => {
    // eslint-disable-next-line no-sparse-arrays
    const sparse = [, { code: 131000 }] as unknown[];
    expect(toProviderErrors(sparse)).toEqual([{ code: '131000', class: 'retryable' }]);
  });
});
