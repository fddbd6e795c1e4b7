/** The rate card in effect for the account, and a quote calculator (`POST /billing/v1/quote`). */
import { type FormEvent, useState } from 'react';
import { call, type RateRow } from '../api.ts';
import { ErrorText, Loading, Money, PageTitle, useLoad } from '../components/ui.tsx';

const EXAMPLES: Record<string, unknown> = {
  videos: {
    type: 'avatar',
    avatar_id: 'look_twin_sofia',
    script: 'Hello from Tollgate. This is a thirty-second product update.',
    resolution: '1080p',
  },
  lipsyncs: {
    mode: 'speed',
    video_url: 'https://example.com/in.mp4#simulate:duration=30',
    audio_url: 'https://example.com/a.mp3#simulate:duration=30',
  },
  speech: { text: 'Hello there.', voice_id: 'voice_starfish_en_f_1' },
};

type Quote = {
  sku: string;
  rate_usd: string;
  unit: string;
  estimate_rule: string;
  estimated_duration_ms: number | null;
  hold_amount_micro_usd: number;
};

export function RateCardPage() {
  const card = useLoad(() =>
    call<{ data: { version: string; rows: RateRow[]; rate_override_id: string | null } }>(
      'GET',
      '/billing/v1/rate-card',
    ),
  );
  const [product, setProduct] = useState('videos');
  const [body, setBody] = useState(JSON.stringify(EXAMPLES.videos, null, 2));
  const [quote, setQuote] = useState<Quote | null>(null);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setQuote(null);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      setError(new Error('The request is not valid JSON.'));
      return;
    }
    try {
      const { data } = await call<{ data: Quote }>('POST', `/billing/v1/quote?product=${product}`, {
        body: parsed,
      });
      setQuote(data);
    } catch (err) {
      setError(err);
    }
  };

  return (
    <>
      <PageTitle>Rate card</PageTitle>
      <ErrorText error={card.error} />
      {card.loading ? (
        <Loading what="the rate card" />
      ) : card.data === null ? null : (
        <>
          <p>
            Version <strong>{card.data.data.version}</strong>
            {card.data.data.rate_override_id === null ? '' : ', with your negotiated rates'}.
          </p>
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">SKU</th>
                  <th scope="col" className="num">
                    Rate
                  </th>
                  <th scope="col">Per</th>
                  <th scope="col">Notes</th>
                </tr>
              </thead>
              <tbody>
                {card.data.data.rows.map((row) => (
                  <tr key={row.sku}>
                    <td className="mono">{row.sku}</td>
                    <td className="num">
                      <Money micro={row.rate_micro_usd} />
                    </td>
                    <td>{row.unit.replace('_', ' ')}</td>
                    <td>
                      {row.enterprise_only ? 'Enterprise only. ' : ''}
                      {row.existing_customers_only ? 'Existing customers only.' : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <h2>Quote calculator</h2>
      <form onSubmit={submit}>
        <label>
          Product
          <select
            value={product}
            onChange={(e) => {
              setProduct(e.target.value);
              setBody(JSON.stringify(EXAMPLES[e.target.value] ?? {}, null, 2));
            }}
          >
            {[
              'videos',
              'lipsyncs',
              'video-translations',
              'proofreads',
              'video-agents',
              'avatars',
              'speech',
            ].map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <label>
          Request body (as you would send it to create the job)
          <textarea
            rows={8}
            value={body}
            onChange={(e) => setBody(e.target.value)}
            spellCheck={false}
          />
        </label>
        <button type="submit">Get a quote</button>
      </form>
      <ErrorText error={error} />
      {quote === null ? null : (
        <dl className="quote" data-testid="quote">
          <dt>Held when you submit it</dt>
          <dd>
            <Money micro={quote.hold_amount_micro_usd} />
          </dd>
          <dt>Rate</dt>
          <dd>
            ${quote.rate_usd} per {quote.unit.replace('_', ' ')} ({quote.sku})
          </dd>
          <dt>Estimate</dt>
          <dd>
            {quote.estimate_rule}
            {quote.estimated_duration_ms === null
              ? ''
              : `, ${quote.estimated_duration_ms / 1000} s`}
          </dd>
        </dl>
      )}
    </>
  );
}
