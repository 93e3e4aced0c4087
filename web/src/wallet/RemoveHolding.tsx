import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../platform/api';
import { ErrorMessage, formatDate } from '../platform/components';
import { walletKey, type HoldingDetail } from './wallet-api';

/** Removing an imported credential from the wallet (only the holder's copy), after a confirmation. */
export function RemoveHolding({ holding, sourceUrl }: Pick<HoldingDetail, 'holding' | 'sourceUrl'>) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation({
    mutationFn: () => api('DELETE', `/api/me/wallet/${holding.id}`),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: walletKey });
      navigate('/wallet');
    },
  });
  return (
    <section className="panel" aria-labelledby="remove-heading">
      <h2 id="remove-heading">Remove from wallet</h2>
      <p>
        You imported this credential{sourceUrl ? ` from ${sourceUrl}` : ''} on {formatDate(holding.addedAt)}. Removing
        it deletes only your copy here.
      </p>
      <ErrorMessage error={remove.error} />
      {confirming ? (
        <div className="actions">
          <button type="button" className="danger" onClick={() => remove.mutate()} disabled={remove.isPending}>
            Yes, remove it
          </button>
          <button type="button" className="secondary" onClick={() => setConfirming(false)}>
            Keep it
          </button>
        </div>
      ) : (
        <button type="button" className="secondary" onClick={() => setConfirming(true)}>
          Remove…
        </button>
      )}
    </section>
  );
}
