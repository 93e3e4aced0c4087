import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { api, type Membership } from '../platform/api';
import { ErrorMessage, Field, Panel, TextArea, fieldErrors } from '../platform/components';
import { orgPath } from '../accounts/issuer';
import type { IssuerProfileDetails } from '../platform/types';

const text = (form: FormData, name: string) => {
  const value = String(form.get(name) ?? '').trim();
  return value || undefined;
};

/** Turns the form into profile details: empty fields are left out, QA facts only with an accrediting body. */
function detailsOf(form: FormData): IssuerProfileDetails {
  const accreditingBody = text(form, 'accreditingBody');
  const details: IssuerProfileDetails = {
    url: text(form, 'url'),
    email: text(form, 'email'),
    country: text(form, 'country')?.toUpperCase(),
    description: text(form, 'description'),
    image: text(form, 'image'),
    colour: text(form, 'colour')?.toLowerCase(),
    qualityAssurance: accreditingBody
      ? {
          accreditingBody,
          accreditationId: text(form, 'accreditationId'),
          framework: text(form, 'framework'),
          validUntil: text(form, 'validUntil'),
        }
      : undefined,
  };
  return JSON.parse(JSON.stringify(details)) as IssuerProfileDetails;
}

/** The issuer profile and quality-assurance facts that every credential of the organization carries. */
export function ProfilePanel({ membership }: { membership: Membership }) {
  const { org, roles } = membership;
  const queryClient = useQueryClient();
  const queryKey = ['orgs', org.id, 'profile'];
  const profile = useQuery({
    queryKey,
    queryFn: () => api<{ details: IssuerProfileDetails }>('GET', orgPath(org.id, '/profile')),
  });
  const save = useMutation({
    mutationFn: (details: IssuerProfileDetails) => api('PUT', orgPath(org.id, '/profile'), details),
    onSuccess: () => queryClient.invalidateQueries({ queryKey }),
  });
  const isOwner = roles.includes('owner');
  const errors = fieldErrors(save.error);
  const d = profile.data?.details;
  const qa = d?.qualityAssurance;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    save.mutate(detailsOf(new FormData(event.currentTarget)));
  }

  return (
    <Panel title="Issuer profile and quality assurance">
      <ErrorMessage error={profile.error} />
      {d && (
        <form onSubmit={submit} noValidate key={JSON.stringify(d)}>
          <ErrorMessage error={save.error} />
          {save.isSuccess && (
            <p className="notice" role="status">
              Profile saved.
            </p>
          )}
          <Field label="Name" value={org.name} readOnly hint="The organization's name, as members see it." />
          <div className="grid-2">
            <Field label="Web site" name="url" type="url" defaultValue={d.url ?? ''} error={errors.url} />
            <Field label="Email" name="email" type="email" defaultValue={d.email ?? ''} error={errors.email} />
            <Field
              label="Country"
              name="country"
              maxLength={2}
              defaultValue={d.country ?? ''}
              hint="Two-letter code, e.g. PT or DE."
              error={errors.country}
            />
            <Field label="Image (URL)" name="image" type="url" defaultValue={d.image ?? ''} error={errors.image} />
            <Field
              label="Badge colour"
              name="colour"
              hint="Written #rrggbb, e.g. #0b4f9c: the colour of the badges drawn for micro-credentials without an image. Dark colours read best under white text."
              defaultValue={d.colour ?? ''}
              error={errors.colour}
            />
          </div>
          <TextArea label="Description" name="description" rows={3} defaultValue={d.description ?? ''} />
          <fieldset>
            <legend>Quality assurance</legend>
            <div className="grid-2">
              <Field
                label="Accrediting body"
                name="accreditingBody"
                defaultValue={qa?.accreditingBody ?? ''}
                error={errors['qualityAssurance.accreditingBody']}
              />
              <Field label="Accreditation id" name="accreditationId" defaultValue={qa?.accreditationId ?? ''} />
              <Field label="QA framework" name="framework" defaultValue={qa?.framework ?? ''} />
              <Field
                label="Valid until"
                name="validUntil"
                type="date"
                defaultValue={qa?.validUntil ?? ''}
                error={errors['qualityAssurance.validUntil']}
              />
            </div>
          </fieldset>
          {isOwner ? (
            <button type="submit" disabled={save.isPending}>
              Save profile
            </button>
          ) : (
            <p className="hint">Only the organization's owners can change its profile.</p>
          )}
        </form>
      )}
    </Panel>
  );
}
