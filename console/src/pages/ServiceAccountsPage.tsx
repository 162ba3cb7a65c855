import { useEffect, useState } from 'react';
import type { ApiClient, Scope, ServiceAccount, TokenAggregate } from '../api/client';
import { ListSection } from '../components/list-section';
import {
  ConfirmDelete,
  DataTable,
  FormPanel,
  Notice,
  PageHeading,
  SecretOnce,
  SelectField,
  TextField,
} from '../components/ui';
import { messageOf, useAction } from '../components/use-action';
import { useList } from '../components/use-list';
import { describeScope, useConsole } from '../context';
import { Link } from '../router';

const FIELDS = ['identifier', 'name', 'email', 'description'];

/** Service accounts of the chosen scope: list, search, create, delete; each links to its keys and tokens. */
export function ServiceAccountsPage() {
  const { client, scope } = useConsole();
  const list = useList((query) => client.listServiceAccounts(scope, query), JSON.stringify(scope));
  const { errors, run } = useAction(FIELDS);
  const [identifier, setIdentifier] = useState('');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [description, setDescription] = useState('');
  const [notice, setNotice] = useState<string>();
  const create = () =>
    run(async () => {
      const id = identifier.trim();
      await client.createServiceAccount(scope, {
        identifier: id,
        name: name.trim(),
        email: email.trim() || `${id}@service.harness.io`,
        ...(description.trim() ? { description: description.trim() } : {}),
      });
      setNotice(`Created service account ${id}.`);
      setIdentifier('');
      setName('');
      setEmail('');
      setDescription('');
      list.reload();
    }).then(() => undefined);
  return (
    <>
      <PageHeading>Service accounts</PageHeading>
      <p className="muted">Service accounts of the {describeScope(scope)}.</p>
      <Notice text={notice} />
      <ListSection title="Service accounts of this scope" list={list}>
        {(rows) => (
          <DataTable
            caption="Service accounts"
            rows={rows}
            rowKey={(row) => row.identifier}
            columns={[
              {
                header: 'Identifier',
                cell: (row) => (
                  <Link to={`/service-accounts/${encodeURIComponent(row.identifier)}`}>
                    <code>{row.identifier}</code>
                  </Link>
                ),
              },
              { header: 'Name', cell: (row) => row.name },
              { header: 'E-mail', cell: (row) => row.email },
              {
                header: 'Actions',
                cell: (row) => (
                  <ConfirmDelete
                    what={`service account ${row.identifier}`}
                    consequence="Its API keys, tokens and role assignments are deleted too; its tokens stop working at once."
                    onConfirm={async () => {
                      await client.deleteServiceAccount(scope, row.identifier);
                      setNotice(`Deleted service account ${row.identifier}.`);
                      list.reload();
                    }}
                  />
                ),
              },
            ]}
          />
        )}
      </ListSection>
      <FormPanel title="Create a service account" submitLabel="Create" onSubmit={create} errors={errors}>
        <TextField
          label="Identifier"
          value={identifier}
          onChange={setIdentifier}
          error={errors.byField.identifier}
          required
        />
        <TextField label="Name" value={name} onChange={setName} error={errors.byField.name} required />
        <TextField
          label="Email"
          type="email"
          value={email}
          onChange={setEmail}
          hint="Default: <identifier>@service.harness.io"
          error={errors.byField.email}
        />
        <TextField
          label="Description"
          value={description}
          onChange={setDescription}
          error={errors.byField.description}
        />
      </FormPanel>
    </>
  );
}

/** A service account's API keys with their tokens, as the API lists them. */
interface KeyWithTokens {
  readonly identifier: string;
  readonly name: string;
  readonly tokens: TokenAggregate[];
}

async function loadKeys(client: ApiClient, scope: Scope, serviceAccount: string): Promise<KeyWithTokens[]> {
  const [keys, tokens] = await Promise.all([
    client.listApiKeys(scope, serviceAccount),
    client.listTokens(scope, serviceAccount),
  ]);
  return keys
    .map((key) => ({
      identifier: key.identifier,
      name: key.name,
      tokens: tokens.content.filter((token) => token.token.apiKeyIdentifier === key.identifier),
    }))
    .sort((a, b) => a.identifier.localeCompare(b.identifier));
}

function expiryOf(token: TokenAggregate): string {
  return new Date(token.expiryAt).toISOString().slice(0, 16).replace('T', ' ');
}

/** One service account: its API keys and tokens (listed live), create keys and tokens (a new token shown once), rotate and delete them. */
export function ServiceAccountPage({ identifier }: { identifier: string }) {
  const { client, scope } = useConsole();
  const [account, setAccount] = useState<ServiceAccount>();
  const [loadError, setLoadError] = useState<string>();
  const [keys, setKeys] = useState<KeyWithTokens[]>([]);
  const [generation, setGeneration] = useState(0);
  const [secret, setSecret] = useState<{ label: string; value: string }>();
  const [notice, setNotice] = useState<string>();
  const reload = () => setGeneration((value) => value + 1);
  useEffect(() => {
    client
      .getServiceAccount(scope, identifier)
      .then(setAccount)
      .catch((error: unknown) => setLoadError(messageOf(error)));
  }, [client, scope, identifier]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `generation` asks for a reload after a change
  useEffect(() => {
    let current = true;
    loadKeys(client, scope, identifier)
      .then((loaded) => {
        if (current) setKeys(loaded);
      })
      .catch((error: unknown) => {
        if (current) setLoadError(messageOf(error));
      });
    return () => {
      current = false;
    };
  }, [client, scope, identifier, generation]);

  const keyAction = useAction(['identifier', 'name', 'description', 'parentIdentifier']);
  const [keyIdentifier, setKeyIdentifier] = useState('');
  const [keyName, setKeyName] = useState('');
  const createKey = () =>
    keyAction
      .run(async () => {
        const id = keyIdentifier.trim();
        await client.createApiKey(scope, {
          identifier: id,
          name: keyName.trim() || id,
          parentIdentifier: identifier,
        });
        setNotice(`Created API key ${id}.`);
        setKeyIdentifier('');
        setKeyName('');
        reload();
      })
      .then(() => undefined);

  const tokenAction = useAction(['identifier', 'name', 'apiKeyIdentifier', 'validTo']);
  const [tokenKey, setTokenKey] = useState('');
  const [tokenIdentifier, setTokenIdentifier] = useState('');
  const [tokenName, setTokenName] = useState('');
  const chosenKey = tokenKey || keys[0]?.identifier || '';
  const createToken = () =>
    tokenAction
      .run(async () => {
        const id = tokenIdentifier.trim();
        const raw = await client.createToken(scope, {
          identifier: id,
          name: tokenName.trim() || id,
          apiKeyIdentifier: chosenKey,
          parentIdentifier: identifier,
        });
        setSecret({ label: `New token ${id}`, value: raw });
        setTokenIdentifier('');
        setTokenName('');
        reload();
      })
      .then(() => undefined);

  return (
    <>
      <PageHeading>Service account {identifier}</PageHeading>
      <p>
        <Link to="/service-accounts">Back to the service accounts</Link>
      </p>
      {loadError ? (
        <p className="form-errors" role="alert">
          {loadError}
        </p>
      ) : null}
      {account ? (
        <p>
          {account.name} · {account.email} · {describeScope(scope)}
        </p>
      ) : null}
      <Notice text={notice} />
      {secret ? (
        <SecretOnce label={secret.label} value={secret.value} onDismiss={() => setSecret(undefined)} />
      ) : null}
      <section className="panel" aria-label="API keys and tokens">
        <h2>API keys and tokens</h2>
        <DataTable
          caption="API keys"
          rows={keys}
          rowKey={(row) => row.identifier}
          empty="No keys yet: create one below."
          columns={[
            { header: 'API key', cell: (row) => <code>{row.identifier}</code> },
            { header: 'Name', cell: (row) => row.name },
            {
              header: 'Tokens',
              cell: (row) =>
                row.tokens.length === 0 ? (
                  <span className="muted">none</span>
                ) : (
                  <ul className="plain">
                    {row.tokens.map((aggregate) => {
                      const { token } = aggregate;
                      return (
                        <li key={token.identifier}>
                          <code>{token.identifier}</code>{' '}
                          <span className="muted">expires {expiryOf(aggregate)} UTC</span>{' '}
                          <button
                            type="button"
                            onClick={async () => {
                              try {
                                const raw = await client.rotateToken(
                                  scope,
                                  { parentIdentifier: identifier, apiKeyIdentifier: row.identifier },
                                  token.identifier,
                                );
                                setSecret({ label: `Rotated token ${token.identifier}`, value: raw });
                                reload();
                              } catch (error) {
                                setNotice(`Rotating ${token.identifier} failed: ${messageOf(error)}`);
                              }
                            }}
                          >
                            Rotate
                          </button>{' '}
                          <ConfirmDelete
                            what={`token ${token.identifier}`}
                            consequence="It is rejected on the very next request."
                            onConfirm={async () => {
                              await client.deleteToken(
                                scope,
                                { parentIdentifier: identifier, apiKeyIdentifier: row.identifier },
                                token.identifier,
                              );
                              setNotice(`Deleted token ${token.identifier}.`);
                              reload();
                            }}
                          />
                        </li>
                      );
                    })}
                  </ul>
                ),
            },
            {
              header: 'Actions',
              cell: (row) => (
                <ConfirmDelete
                  what={`API key ${row.identifier}`}
                  consequence="Its tokens are deleted too."
                  onConfirm={async () => {
                    await client.deleteApiKey(scope, identifier, row.identifier);
                    setNotice(`Deleted API key ${row.identifier}.`);
                    reload();
                  }}
                />
              ),
            },
          ]}
        />
      </section>
      <FormPanel
        title="Create an API key"
        submitLabel="Create API key"
        onSubmit={createKey}
        errors={keyAction.errors}
      >
        <TextField
          label="Key identifier"
          value={keyIdentifier}
          onChange={setKeyIdentifier}
          error={keyAction.errors.byField.identifier}
          required
        />
        <TextField
          label="Key name"
          value={keyName}
          onChange={setKeyName}
          error={keyAction.errors.byField.name}
        />
      </FormPanel>
      <FormPanel
        title="Create a token"
        submitLabel="Create token"
        onSubmit={createToken}
        errors={tokenAction.errors}
      >
        <SelectField
          label="API key"
          value={chosenKey}
          onChange={setTokenKey}
          options={keys.map((key) => ({ value: key.identifier, label: key.identifier }))}
          error={tokenAction.errors.byField.apiKeyIdentifier}
        />
        <TextField
          label="Token identifier"
          value={tokenIdentifier}
          onChange={setTokenIdentifier}
          error={tokenAction.errors.byField.identifier}
          required
        />
        <TextField
          label="Token name"
          value={tokenName}
          onChange={setTokenName}
          error={tokenAction.errors.byField.name}
        />
      </FormPanel>
    </>
  );
}
