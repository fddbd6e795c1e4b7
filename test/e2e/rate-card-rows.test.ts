/**
 * Every row of the seed's rate card, billable through HTTP at its exact price: for each row, a
 * fresh customer submits that product's create call, the simulator completes it, and the wallet
 * in `GET /v3/users/me` has moved by exactly the row's rate times the output (or the flat
 * price), with nothing left held and the ledger balanced. A guard checks that the table covers
 * every sku of the default card, so a row added to the card without a test fails here.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RATE_CARD } from '../../src/pricing/default-card.ts';
import { DIGITAL_TWIN, PHOTO_AVATAR, SPEECH_150_CHARS } from '../avatars.ts';
import { type CustomerOptions, createCustomer } from '../customers.ts';
import { dialects, expectLedgerBalanced } from '../harness.ts';
import { PRECISION_DECLARED, SPEED_MARKED } from '../lipsyncs.ts';
import { createOperatorToken, operatorHeaders } from '../operator.ts';
import { putRateOverride } from '../rate-cards.ts';
import { useServer } from '../server-fixture.ts';
import {
  PRECISION_LIP_SYNC,
  PROOFREAD_TWO_LANGUAGES,
  SPEED_AUDIO_ONLY,
  SPEED_LIP_SYNC,
} from '../translations.ts';
import { GENERATE_MARKED } from '../video-agents.ts';
import { drainWorker, SCRIPT_150_CHARS } from '../videos.ts';

const FUNDED_MICRO_USD = 50_000_000n;
/** The proofread rate an Enterprise account is given (the default card has none). */
const PROOFREAD_RATE_USD = '0.05';

type Row = {
  sku: string;
  path: string;
  body: object;
  /** The exact charge, worked out by hand from the seed's rate and the simulator's output. */
  charged_micro_usd: bigint;
  customer?: CustomerOptions;
};

/** A 150-character script: 10 s of output in the simulator. */
const avatar = (avatar_id: string, engine: string, resolution: string) => ({
  type: 'avatar',
  avatar_id,
  engine: { type: engine },
  resolution,
  script: SCRIPT_150_CHARS,
});
const AVATAR_III_CUSTOMER = { existing_avatar_iii_customer: true };

const ROWS: Row[] = [
  // Avatar IV / V, 10 s: $0.05, $0.0667, $0.0833 per second.
  ...(['avatar_iv', 'avatar_v'] as const).flatMap((engine) => [
    {
      sku: 'avatar_iv_v.photo_avatar.hd',
      path: '/v3/videos',
      body: avatar('look_photo_lena', engine, '720p'),
      charged_micro_usd: 500_000n,
    },
    {
      sku: 'avatar_iv_v.photo_avatar.4k',
      path: '/v3/videos',
      body: avatar('look_photo_lena', engine, '4k'),
      charged_micro_usd: 667_000n,
    },
  ]),
  {
    sku: 'avatar_iv_v.digital_twin.hd',
    path: '/v3/videos',
    body: avatar('look_twin_sofia', 'avatar_iv', '1080p'),
    charged_micro_usd: 667_000n,
  },
  {
    sku: 'avatar_iv_v.digital_twin.4k',
    path: '/v3/videos',
    body: avatar('look_twin_sofia', 'avatar_v', '4k'),
    charged_micro_usd: 833_000n,
  },
  {
    sku: 'avatar_iv_v.studio_avatar.hd',
    path: '/v3/videos',
    body: avatar('look_studio_anna', 'avatar_iv', '720p'),
    charged_micro_usd: 667_000n,
  },
  {
    sku: 'avatar_iv_v.studio_avatar.4k',
    path: '/v3/videos',
    body: avatar('look_studio_anna', 'avatar_iv', '4k'),
    charged_micro_usd: 833_000n,
  },
  // Avatar III (existing customers only), 10 s: $0.0167 HD, $0.02 4K for every avatar type.
  ...(
    [
      ['photo_avatar', 'look_photo_lena'],
      ['digital_twin', 'look_twin_sofia'],
      ['studio_avatar', 'look_studio_anna'],
    ] as const
  ).flatMap(([type, look]) => [
    {
      sku: `avatar_iii.${type}.hd`,
      path: '/v3/videos',
      body: avatar(look, 'avatar_iii', '1080p'),
      charged_micro_usd: 167_000n,
      customer: AVATAR_III_CUSTOMER,
    },
    {
      sku: `avatar_iii.${type}.4k`,
      path: '/v3/videos',
      body: avatar(look, 'avatar_iii', '4k'),
      charged_micro_usd: 200_000n,
      customer: AVATAR_III_CUSTOMER,
    },
  ]),
  {
    sku: 'cinematic_avatar.video',
    path: '/v3/videos',
    body: {
      type: 'cinematic_avatar',
      avatar_id: ['look_twin_sofia'],
      prompt: 'A presenter walks through a sunlit atrium.',
      duration: 12,
      resolution: '720p',
    },
    charged_micro_usd: 7_000_000n,
  },
  // Video Agent: a video marked 12 s at $0.0333/s.
  {
    sku: 'video_agent.prompt_to_video',
    path: '/v3/video-agents',
    body: GENERATE_MARKED,
    charged_micro_usd: 399_600n,
  },
  // Video translation: a source marked 90 s (audio only), 45 s and 12.5 s.
  {
    sku: 'video_translation.speed.audio_only',
    path: '/v3/video-translations',
    body: SPEED_AUDIO_ONLY,
    charged_micro_usd: 1_503_000n,
  },
  {
    sku: 'video_translation.speed.lip_sync',
    path: '/v3/video-translations',
    body: SPEED_LIP_SYNC,
    charged_micro_usd: 1_498_500n,
  },
  {
    sku: 'video_translation.precision.lip_sync',
    path: '/v3/video-translations',
    body: PRECISION_LIP_SYNC,
    charged_micro_usd: 833_750n,
  },
  // Proofread: Enterprise, on its override of $0.05/s; two languages of a 120 s source.
  {
    sku: 'video_translation.proofread',
    path: '/v3/video-translations/proofreads',
    body: PROOFREAD_TWO_LANGUAGES,
    charged_micro_usd: 12_000_000n,
    customer: { enterprise: true },
  },
  // Lipsync: new audio marked 12.5 s (speed, $0.0333/s) and declared 9 s (precision, $0.0667/s).
  { sku: 'lipsync.speed', path: '/v3/lipsyncs', body: SPEED_MARKED, charged_micro_usd: 416_250n },
  {
    sku: 'lipsync.precision',
    path: '/v3/lipsyncs',
    body: PRECISION_DECLARED,
    charged_micro_usd: 600_300n,
  },
  // Text-to-Speech: 150 characters = 10 s at $0.000667/s, settled within the request.
  {
    sku: 'text_to_speech.starfish',
    path: '/v3/voices/speech',
    body: SPEECH_150_CHARS,
    charged_micro_usd: 6_670n,
  },
  // Avatar creation: $1.00 per call.
  {
    sku: 'avatar_creation.photo_avatar',
    path: '/v3/avatars',
    body: PHOTO_AVATAR,
    charged_micro_usd: 1_000_000n,
  },
  {
    sku: 'avatar_creation.digital_twin',
    path: '/v3/avatars',
    body: DIGITAL_TWIN,
    charged_micro_usd: 1_000_000n,
  },
];

describe('the rate card rows under test', () => {
  it('cover every sku of the default card', () => {
    const tested = new Set(ROWS.map((row) => row.sku));
    expect([...tested].sort()).toEqual(DEFAULT_RATE_CARD.rows.map((row) => row.sku).sort());
  });
});

describe.each(dialects)('every rate card row through HTTP on %s', (dialect) => {
  const t = useServer(dialect);

  const wallet = async (headers: Record<string, string>) => {
    const res = await t.app.inject({ method: 'GET', url: '/v3/users/me', headers });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().data.wallet;
  };

  it.each(ROWS.map((row) => [`${row.sku} via ${row.path}`, row] as const))(
    '%s is charged exactly its row',
    async (_name, row) => {
      const customer = await createCustomer(t.ctx, {
        ...row.customer,
        paid_micro_usd: FUNDED_MICRO_USD,
      });
      if (row.sku === 'video_translation.proofread') {
        const operator = operatorHeaders(await createOperatorToken(t.ctx));
        const rows = [{ sku: row.sku, rate_usd: PROOFREAD_RATE_USD }];
        const set = await putRateOverride(t.app, operator, customer.account_id, { rows });
        expect(set.statusCode, set.body).toBe(200);
      }
      const res = await t.app.inject({
        method: 'POST',
        url: row.path,
        headers: customer.headers,
        payload: row.body,
      });
      expect(res.statusCode, res.body).toBe(200);
      await drainWorker(t.ctx);
      const after = await wallet(customer.headers);
      expect(BigInt(after.remaining_balance_micro_usd)).toBe(
        FUNDED_MICRO_USD - row.charged_micro_usd,
      );
      expect(BigInt(after.held_micro_usd)).toBe(0n);
      expect(after.remaining_balance).toBe(
        Number(FUNDED_MICRO_USD - row.charged_micro_usd) / 1_000_000,
      );
      await expectLedgerBalanced(t.ctx);
    },
  );
});
