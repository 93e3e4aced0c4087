import { useId, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { api } from '../platform/api';
import { ErrorMessage, Panel } from '../platform/components';

/** What the server answers for an OpenID4VCI offer (src/oid4vci/routes.ts). */
interface WalletOffer {
  offerUri: string;
  qrSvg: string;
  txCode: string;
  expiresAt: string;
  credentialConfigurationIds: string[];
}

/**
 * "Send to my wallet": an OpenID4VCI credential offer of a credential issued here, as a QR code for a wallet app on
 * a phone and a link for one on this device, with the transaction code the wallet asks for. The wallet receives
 * the same award re-issued for its own key; revoking the original revokes that copy too.
 */
export function SendToWallet({ holdingId }: { holdingId: string }) {
  const signInId = useId();
  // Some wallets have the learner sign in to Skillproof and allow them (the authorization-code flow through our
  // OAuth 2.0 server) rather than type a transaction code; the offer then carries that grant too.
  const [signIn, setSignIn] = useState(false);
  const offer = useMutation({
    mutationFn: () =>
      api<WalletOffer>('POST', `/api/me/wallet/${holdingId}/oid4vci-offer${signIn ? '?grants=both' : ''}`),
  });
  const data = offer.data;
  return (
    <Panel title="Send to my wallet">
      <p>
        Keep this credential in a wallet app of your choice (one that speaks OpenID for Verifiable Credential Issuance).
        It receives the same credential, issued for the wallet&apos;s own key.
      </p>
      <ErrorMessage error={offer.error} />
      {!data && (
        <div className="stack">
          <p>
            <input
              id={signInId}
              type="checkbox"
              checked={signIn}
              onChange={(event) => setSignIn(event.target.checked)}
            />{' '}
            <label htmlFor={signInId}>
              My wallet may also ask me to sign in to Skillproof and allow it, instead of a transaction code
            </label>
          </p>
          <button type="button" onClick={() => offer.mutate()} disabled={offer.isPending}>
            Send to my wallet
          </button>
        </div>
      )}
      {data && (
        <div className="stack">
          <img
            src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(data.qrSvg)}`}
            alt="QR code of the credential offer: scan it with your wallet app"
            width={240}
            height={240}
          />
          <p>
            On this device: <a href={data.offerUri}>open the offer in your wallet app</a>.
          </p>
          <p>
            When the wallet asks for a transaction code, enter <strong className="code">{data.txCode}</strong>. The
            offer works once, until {new Date(data.expiresAt).toLocaleTimeString()}.
          </p>
          <button type="button" onClick={() => offer.mutate()} disabled={offer.isPending}>
            Make a new offer
          </button>
        </div>
      )}
    </Panel>
  );
}
