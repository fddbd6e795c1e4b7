/**
 * The console's OAuth clients (`GET /admin/v1/oauth-clients`), read-only: the applications whose
 * users sign in and spend web-plan credits. They are registered with the API or the CLI.
 */
import { call } from '../api.ts';
import type { PageProps } from '../app.tsx';
import { Empty, ErrorText, Loading, PageTitle, Time, useLoad } from '../components/ui.tsx';

type OAuthClient = {
  client_id: string;
  name: string;
  client_type: string;
  redirect_uris: string[];
  created_at_ms: number;
};

export function OAuthClientsPage({ session }: PageProps) {
  const clients = useLoad(() => call<{ data: OAuthClient[] }>('GET', '/admin/v1/oauth-clients'));
  return (
    <>
      <PageTitle>OAuth clients</PageTitle>
      <p className="hint">
        Registered with <code>POST /admin/v1/oauth-clients</code> or{' '}
        <code>tollgate oauth-clients</code>; a confidential client's secret is shown only then.
      </p>
      <ErrorText error={clients.error} />
      {clients.loading ? (
        <Loading what="OAuth clients" />
      ) : clients.data === null || clients.data.data.length === 0 ? (
        <Empty>No OAuth client is registered.</Empty>
      ) : (
        <div className="table-scroll">
          <table data-testid="oauth-clients">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Client id</th>
                <th scope="col">Type</th>
                <th scope="col">Redirect URIs</th>
                <th scope="col">Registered</th>
              </tr>
            </thead>
            <tbody>
              {clients.data.data.map((client) => (
                <tr key={client.client_id}>
                  <td>{client.name}</td>
                  <td className="mono">{client.client_id}</td>
                  <td>{client.client_type}</td>
                  <td className="mono wrap">{client.redirect_uris.join(' ')}</td>
                  <td>
                    <Time at_ms={client.created_at_ms} time_zone={session.time_zone} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
