/**
 * Webhook endpoints (HeyGen's `/v3/webhooks/endpoints`): create one (its signing secret shown
 * once, here only), list, change its URL and events, disable or enable it, rotate its secret,
 * delete it; and an endpoint's delivery log (`/billing/v1/webhooks/endpoints/{id}/deliveries`,
 * newest first) with a redelivery of any event to that endpoint.
 */
import { type FormEvent, useState } from 'react';
import { call, newIdempotencyKey, type Page } from '../api.ts';
import type { PageProps } from '../app.tsx';
import {
  Empty,
  ErrorText,
  Loading,
  Outcome,
  PageTitle,
  Time,
  useAction,
  useLoad,
} from '../components/ui.tsx';

type Endpoint = {
  endpoint_id: string;
  url: string;
  events: string[] | null;
  status: 'enabled' | 'disabled';
  created_at: string;
  secret: string | null;
  disabled_reason: string | null;
};

type EventType = { event_type: string; description: string };

type Delivery = {
  delivery_id: string;
  event_id: string;
  event_type: string;
  status: string;
  attempts: number;
  created_at: string;
  delivered_at: string | null;
  last_error: string | null;
  attempt_log: { attempt: number; response_status: number | null; error: string | null }[];
};

const ENDPOINTS = '/v3/webhooks/endpoints';

function endpointPath(endpoint_id: string): string {
  return `${ENDPOINTS}/${encodeURIComponent(endpoint_id)}`;
}

/** The event types ticked in a form; none ticked means every type (`null`). */
function eventsOf(form: FormData): string[] | null {
  const events = form.getAll('events').map(String);
  return events.length === 0 ? null : events;
}

function EventChoices({ types, chosen }: { types: EventType[]; chosen: string[] | null }) {
  return (
    <fieldset className="choices">
      <legend>Events (none ticked: every event)</legend>
      {types.map((type) => (
        <label key={type.event_type} className="check" title={type.description}>
          <input
            type="checkbox"
            name="events"
            value={type.event_type}
            defaultChecked={chosen?.includes(type.event_type) ?? false}
          />
          {type.event_type}
        </label>
      ))}
    </fieldset>
  );
}

export function WebhooksPage({ session, params }: PageProps) {
  const endpoints = useLoad(() => call<Page<Endpoint>>('GET', `${ENDPOINTS}?limit=100`));
  const types = useLoad(() => call<Page<EventType>>('GET', '/v3/webhooks/event-types'));
  const [secret, setSecret] = useState<{ endpoint_id: string; secret: string } | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const selected = params.get('endpoint');

  const action = useAction(endpoints.reload);
  const act = action.run;

  const create = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    void act('Endpoint created.', async () => {
      const created = await call<{ data: Endpoint }>('POST', ENDPOINTS, {
        idempotency_key: newIdempotencyKey(),
        body: { url: String(data.get('url')).trim(), events: eventsOf(data) },
      });
      setSecret({ endpoint_id: created.data.endpoint_id, secret: created.data.secret ?? '' });
      form.reset();
    });
  };

  const update = (endpoint: Endpoint, event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    void act('Endpoint saved.', async () => {
      await call('PATCH', endpointPath(endpoint.endpoint_id), {
        idempotency_key: newIdempotencyKey(),
        body: { url: String(data.get('url')).trim(), events: eventsOf(data) },
      });
      setEditing(null);
    });
  };

  const setStatus = (endpoint: Endpoint, status: 'enabled' | 'disabled') =>
    act(status === 'enabled' ? 'Endpoint enabled.' : 'Endpoint disabled.', () =>
      call('PATCH', endpointPath(endpoint.endpoint_id), {
        idempotency_key: newIdempotencyKey(),
        body: { status },
      }),
    );

  const rotate = (endpoint: Endpoint) => {
    if (!window.confirm(`Rotate the secret of ${endpoint.url}? The old one stops working now.`))
      return;
    void act('Secret rotated.', async () => {
      const rotated = await call<{ data: { endpoint_id: string; secret: string | null } }>(
        'POST',
        `${endpointPath(endpoint.endpoint_id)}/rotate-secret`,
        { idempotency_key: newIdempotencyKey() },
      );
      setSecret({ endpoint_id: endpoint.endpoint_id, secret: rotated.data.secret ?? '' });
    });
  };

  const remove = (endpoint: Endpoint) => {
    if (!window.confirm(`Delete the endpoint ${endpoint.url}? Nothing more is sent to it.`)) return;
    void act('Endpoint deleted.', () =>
      call('DELETE', endpointPath(endpoint.endpoint_id), { idempotency_key: newIdempotencyKey() }),
    );
  };

  const eventTypes = types.data?.data ?? [];
  const list = endpoints.data?.data ?? [];
  const shown = list.find((endpoint) => endpoint.endpoint_id === selected);
  return (
    <>
      <PageTitle>Webhooks</PageTitle>
      <p className="hint">
        Tollgate POSTs each event to your endpoints, signed with the endpoint's secret (Standard
        Webhooks and <code>Heygen-Signature</code> headers), and retries failures.
      </p>
      <form onSubmit={create} aria-labelledby="new-endpoint-title">
        <h2 id="new-endpoint-title">New endpoint</h2>
        <label>
          URL
          <input name="url" type="url" required maxLength={2048} placeholder="https://" />
        </label>
        {types.loading ? <Loading what="event types" /> : null}
        <EventChoices types={eventTypes} chosen={null} />
        <button type="submit">Create endpoint</button>
      </form>
      {secret === null ? null : (
        <section className="secret" aria-live="polite" data-testid="endpoint-secret">
          <h2>Signing secret</h2>
          <p>Copy it now: it is shown only this once. Verify every delivery with it.</p>
          <code data-testid="endpoint-secret-value">{secret.secret}</code>
          <button
            type="button"
            className="secondary"
            onClick={() => void navigator.clipboard?.writeText(secret.secret)}
          >
            Copy
          </button>
        </section>
      )}
      <Outcome action={action} />
      <ErrorText error={endpoints.error ?? types.error} />
      <h2>Endpoints</h2>
      {endpoints.loading && endpoints.data === null ? (
        <Loading what="endpoints" />
      ) : list.length === 0 ? (
        <Empty>No endpoint yet: add one above to receive events.</Empty>
      ) : (
        <ul className="endpoints" data-testid="endpoints">
          {list.map((endpoint) => (
            <li key={endpoint.endpoint_id} className="endpoint">
              {editing === endpoint.endpoint_id ? (
                <form
                  onSubmit={(event) => update(endpoint, event)}
                  aria-label={`Edit ${endpoint.url}`}
                >
                  <label>
                    URL
                    <input
                      name="url"
                      type="url"
                      required
                      maxLength={2048}
                      defaultValue={endpoint.url}
                    />
                  </label>
                  <EventChoices types={eventTypes} chosen={endpoint.events} />
                  <div className="actions">
                    <button type="submit">Save</button>
                    <button type="button" className="secondary" onClick={() => setEditing(null)}>
                      Cancel
                    </button>
                  </div>
                </form>
              ) : (
                <>
                  <p className="mono wrap">{endpoint.url}</p>
                  <p>
                    <span className={endpoint.status === 'enabled' ? 'ok' : 'bad'}>
                      {endpoint.status}
                    </span>
                    {endpoint.disabled_reason === null ? '' : ` (${endpoint.disabled_reason})`} ·{' '}
                    {endpoint.events === null ? 'every event' : endpoint.events.join(', ')} · since{' '}
                    <Time at_ms={Date.parse(endpoint.created_at)} time_zone={session.time_zone} />
                  </p>
                  <div className="actions">
                    <a
                      className="button-link"
                      href={`#/webhooks?endpoint=${encodeURIComponent(endpoint.endpoint_id)}`}
                      aria-current={selected === endpoint.endpoint_id ? 'true' : undefined}
                    >
                      Deliveries<span className="visually-hidden"> to {endpoint.url}</span>
                    </a>
                    <button
                      type="button"
                      className="secondary"
                      onClick={() => setEditing(endpoint.endpoint_id)}
                    >
                      Edit<span className="visually-hidden"> {endpoint.url}</span>
                    </button>
                    <button
                      type="button"
                      className="secondary"
                      onClick={() =>
                        void setStatus(
                          endpoint,
                          endpoint.status === 'enabled' ? 'disabled' : 'enabled',
                        )
                      }
                    >
                      {endpoint.status === 'enabled' ? 'Disable' : 'Enable'}
                      <span className="visually-hidden"> {endpoint.url}</span>
                    </button>
                    <button type="button" className="secondary" onClick={() => rotate(endpoint)}>
                      Rotate secret<span className="visually-hidden"> of {endpoint.url}</span>
                    </button>
                    <button type="button" className="danger" onClick={() => remove(endpoint)}>
                      Delete<span className="visually-hidden"> {endpoint.url}</span>
                    </button>
                  </div>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {shown === undefined ? null : <DeliveryLog endpoint={shown} time_zone={session.time_zone} />}
    </>
  );
}

function deliveryOutcome(delivery: Delivery): string {
  const last = delivery.attempt_log[delivery.attempt_log.length - 1];
  if (last === undefined) return 'not tried yet';
  if (last.response_status !== null) return `HTTP ${last.response_status}`;
  return last.error ?? delivery.last_error ?? '—';
}

function DeliveryLog({ endpoint, time_zone }: { endpoint: Endpoint; time_zone: string }) {
  const path = `/billing/v1/webhooks/endpoints/${encodeURIComponent(endpoint.endpoint_id)}/deliveries?limit=50`;
  const log = useLoad(() => call<{ data: Delivery[] }>('GET', path), [path]);
  const action = useAction(log.reload);
  const redeliver = (delivery: Delivery) =>
    action.run(`Event ${delivery.event_id} queued for redelivery.`, () =>
      call(
        'POST',
        `/billing/v1/webhooks/events/${encodeURIComponent(delivery.event_id)}/redeliver`,
        { idempotency_key: newIdempotencyKey(), body: { endpoint_id: endpoint.endpoint_id } },
      ),
    );

  return (
    <section aria-labelledby="deliveries-title">
      <h2 id="deliveries-title">Deliveries to {endpoint.url}</h2>
      <button type="button" className="secondary" onClick={log.reload}>
        Refresh
      </button>
      <Outcome action={action} />
      <ErrorText error={log.error} />
      {log.loading && log.data === null ? (
        <Loading what="deliveries" />
      ) : log.data === null || log.data.data.length === 0 ? (
        <Empty>Nothing was sent to this endpoint yet.</Empty>
      ) : (
        <div className="table-scroll">
          <table data-testid="deliveries">
            <thead>
              <tr>
                <th scope="col">Queued</th>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Attempts
                </th>
                <th scope="col">Last answer</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {log.data.data.map((delivery) => (
                <tr key={delivery.delivery_id}>
                  <td>
                    <Time at_ms={Date.parse(delivery.created_at)} time_zone={time_zone} />
                  </td>
                  <td>
                    {delivery.event_type}
                    <br />
                    <span className="mono small">{delivery.event_id}</span>
                  </td>
                  <td>{delivery.status}</td>
                  <td className="num">{delivery.attempts}</td>
                  <td>{deliveryOutcome(delivery)}</td>
                  <td>
                    <button
                      type="button"
                      className="secondary"
                      onClick={() => void redeliver(delivery)}
                    >
                      Redeliver<span className="visually-hidden"> {delivery.event_id}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
