import { useQuery } from '@tanstack/react-query';
import { Link, useLocation, useParams } from 'react-router';
import { api } from '../platform/api';
import { ErrorMessage, Loading } from '../platform/components';
import { AchievementSection } from './AchievementSection';
import { ExportMenu } from './ExportMenu';
import { HoldingVerdict } from './HoldingVerdict';
import { IssuerSection } from './IssuerSection';
import { RemoveHolding } from './RemoveHolding';
import { ResultsSection } from './ResultsSection';
import { SendToWallet } from './SendToWallet';
import { SharePanel } from './SharePanel';
import { StackedPanel } from '../pathways/StackedPanel';
import { statusLabels, walletKey, type HoldingDetail } from './wallet-api';

/** One credential in the wallet: checked again with its issuer on every visit, with everything it says. */
export function HoldingPage() {
  const { holdingId } = useParams();
  const notice = (useLocation().state as { message?: string } | null)?.message;
  const detail = useQuery({
    queryKey: [...walletKey, 'holding', holdingId],
    queryFn: () => api<HoldingDetail>('GET', `/api/me/wallet/${holdingId}`),
    // The verdict is live: a revocation since the last visit must show.
    staleTime: 0,
  });

  if (detail.isPending) return <Loading />;
  if (detail.error) return <ErrorMessage error={detail.error} />;
  const { holding, verification, achievement, issuer } = detail.data;

  return (
    <div className="stack holding">
      <p>
        <Link to="/wallet">← My credentials</Link>
      </p>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <h1>{holding.name}</h1>
      <p className="lede">
        {issuer.name ? `Issued by ${issuer.name}` : 'Issuer not named'}
        {' · '}
        <span className={`badge ${holding.status}`}>{statusLabels[holding.status]}</span>
      </p>
      <HoldingVerdict verification={verification} />
      <ExportMenu holdingId={holding.id} name={holding.name} exports={detail.data.exports} />
      <SharePanel holdingId={holding.id} />
      {holding.kind === 'issued' && <SendToWallet holdingId={holding.id} />}
      <AchievementSection achievement={achievement} holding={holding} />
      {holding.kind === 'issued' && <StackedPanel holdingId={holding.id} />}
      <ResultsSection results={detail.data.results} evidence={detail.data.evidence} />
      <IssuerSection issuer={issuer} revocationReason={detail.data.revocationReason} />
      {holding.kind === 'imported' && <RemoveHolding holding={holding} sourceUrl={detail.data.sourceUrl} />}
    </div>
  );
}
