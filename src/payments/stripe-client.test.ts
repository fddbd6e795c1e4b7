import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.ts';
import { stripeClientFor } from './stripe-client.ts';

const KEYS = { STRIPE_SECRET_KEY: 'sk_test_1', STRIPE_WEBHOOK_SECRET: 'whsec_1' };

describe('Stripe configuration', () => {
  it('without STRIPE_SECRET_KEY there is no client (top-ups are refused)', () => {
    const config = loadConfig({});
    expect(config.stripe).toBeNull();
    expect(stripeClientFor(config)).toBeNull();
  });

  it('refuses one Stripe secret without the other', () => {
    expect(() => loadConfig({ STRIPE_SECRET_KEY: 'sk_test_1' })).toThrow(ConfigError);
    expect(() => loadConfig({ STRIPE_WEBHOOK_SECRET: 'whsec_1' })).toThrow(ConfigError);
  });

  it('STRIPE_API_BASE becomes the SDK host, port and protocol; the client is built once', () => {
    const config = loadConfig({ ...KEYS, STRIPE_API_BASE: 'http://127.0.0.1:12111' });
    expect(config.stripe?.api_base).toEqual({ protocol: 'http', host: '127.0.0.1', port: 12111 });
    expect(
      loadConfig({ ...KEYS, STRIPE_API_BASE: 'https://stripe.test' }).stripe?.api_base,
    ).toEqual({ protocol: 'https', host: 'stripe.test', port: 443 });
    expect(stripeClientFor(config)).toBe(stripeClientFor(config));
    expect(() => loadConfig({ ...KEYS, STRIPE_API_BASE: 'ftp://x' })).toThrow(/STRIPE_API_BASE/);
  });

  it('TOLLGATE_PUBLIC_URL defaults to localhost on PORT and loses a trailing slash', () => {
    expect(loadConfig({ PORT: '9000' }).public_url).toBe('http://localhost:9000');
    expect(loadConfig({ TOLLGATE_PUBLIC_URL: 'https://pay.example.com/' }).public_url).toBe(
      'https://pay.example.com',
    );
    expect(() => loadConfig({ TOLLGATE_PUBLIC_URL: 'nope' })).toThrow(/TOLLGATE_PUBLIC_URL/);
  });

  it('TOLLGATE_TOP_UP_MAX_USD is a USD amount of at least the $5.00 minimum', () => {
    expect(loadConfig({}).limits.top_up_max_micro_usd).toBe(10_000_000_000n);
    expect(loadConfig({ TOLLGATE_TOP_UP_MAX_USD: '250.50' }).limits.top_up_max_micro_usd).toBe(
      250_500_000n,
    );
    expect(() => loadConfig({ TOLLGATE_TOP_UP_MAX_USD: '4.99' })).toThrow(/TOP_UP_MAX/);
    expect(() => loadConfig({ TOLLGATE_TOP_UP_MAX_USD: 'lots' })).toThrow(/TOP_UP_MAX/);
  });
});
