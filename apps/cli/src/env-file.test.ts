import { describe, expect, it } from 'vitest';
import { parseEnvFile } from './env-file';

describe('parseEnvFile', () => {
  it("reads OpenVidu's .env: comments, export, quotes, JSON values", () => {
    const text = [
      '# OpenVidu configuration',
      '',
      'OPENVIDU_SECRET=MY_SECRET  # change me',
      'KMS_URIS=["ws://10.0.0.1:8888/kurento","ws://10.0.0.2:8888/kurento"]',
      "export KMS_WEIGHT='[5, 1]'",
      'QUOTED="a # b"',
      'EMPTY=',
      'not a setting',
    ].join('\r\n');
    expect(parseEnvFile(text)).toEqual({
      OPENVIDU_SECRET: 'MY_SECRET',
      KMS_URIS: '["ws://10.0.0.1:8888/kurento","ws://10.0.0.2:8888/kurento"]',
      KMS_WEIGHT: '[5, 1]',
      QUOTED: 'a # b',
      EMPTY: '',
    });
  });
});
