import { useState, type FormEvent } from 'react';
import { ErrorMessage, Field, Select, TextArea, fieldErrors, useClearingErrors } from '../platform/components';
import type { DefinitionCheck, MicroCredentialDefinition, SkillAlignment } from '../platform/types';
import { SkillPicker } from '../skills/SkillPicker';
import { BadgeUpload } from './BadgeUpload';

export const assessmentLabels = [
  ['skill-test', 'Automatically scored skill test'],
  ['assessor-review', 'Review by an assessor'],
  ['project', 'Project'],
  ['exam', 'Exam'],
  ['portfolio', 'Portfolio'],
  ['other', 'Other'],
] as const;
export const participationLabels = [
  ['online', 'Online'],
  ['on-site', 'On site'],
  ['blended', 'Blended'],
] as const;
export const qaLabels = [
  ['internal', 'Internal quality assurance'],
  ['external', 'External quality assurance'],
  ['accredited', 'Accredited'],
  ['none', 'None'],
] as const;
const eqfOptions = [['', 'Not set'], ...[1, 2, 3, 4, 5, 6, 7, 8].map((n) => [String(n), `EQF ${n}`] as const)] as const;

export const emptyDefinition: MicroCredentialDefinition = {
  title: '',
  description: '',
  learningOutcomes: [],
  workloadHours: 0,
  assessmentType: 'skill-test',
  participationForm: 'online',
  qualityAssurance: 'internal',
  prerequisites: [],
  criteria: '',
  language: 'en',
  tags: [],
  skills: [],
};

const lines = (value: FormDataEntryValue | null) =>
  String(value ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
const optional = (value: FormDataEntryValue | null) => String(value ?? '').trim() || undefined;
const number = (value: FormDataEntryValue | null) => {
  const text = String(value ?? '').trim();
  return text === '' ? undefined : Number(text);
};

function definitionOf(form: FormData, skills: SkillAlignment[]): MicroCredentialDefinition {
  const definition = {
    title: String(form.get('title') ?? '').trim(),
    humanCode: optional(form.get('humanCode')),
    description: String(form.get('description') ?? '').trim(),
    learningOutcomes: lines(form.get('learningOutcomes')),
    workloadHours: number(form.get('workloadHours')) ?? 0,
    ectsCredits: number(form.get('ectsCredits')),
    eqfLevel: number(form.get('eqfLevel')),
    nqfLevel: optional(form.get('nqfLevel')),
    assessmentType: String(form.get('assessmentType')),
    participationForm: String(form.get('participationForm')),
    qualityAssurance: String(form.get('qualityAssurance')),
    prerequisites: lines(form.get('prerequisites')),
    criteria: String(form.get('criteria') ?? '').trim(),
    validity: optional(form.get('validity')),
    stackability: optional(form.get('stackability')),
    image: optional(form.get('image')),
    language: String(form.get('language') ?? '').trim(),
    tags: String(form.get('tags') ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
    skills,
  };
  return JSON.parse(JSON.stringify(definition)) as MicroCredentialDefinition;
}

/** Errors by top-level field: the server's (learningOutcomes.2 → learningOutcomes), then what publishing needs. */
function errorsOf(error: unknown, check: DefinitionCheck | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const issue of check?.errors ?? []) result[issue.field.split('.')[0]!] ??= `To publish: ${issue.message}`;
  for (const [field, message] of Object.entries(fieldErrors(error))) result[field.split('.')[0]!] = message;
  return result;
}

/** Every element of the EU Council Recommendation on micro-credentials, plus criteria, validity and skills. */
export function DefinitionForm({
  initial,
  orgId,
  check,
  error,
  busy,
  submitLabel,
  onSubmit,
}: {
  initial: MicroCredentialDefinition;
  /** The organization whose badge images an upload joins. */
  orgId: string;
  check?: DefinitionCheck | undefined;
  error: unknown;
  busy: boolean;
  submitLabel: string;
  onSubmit(definition: MicroCredentialDefinition): void;
}) {
  const [skills, setSkills] = useState(initial.skills);
  const [image, setImage] = useState(initial.image ?? '');
  const cleared = useClearingErrors(errorsOf(error, check), error ?? check);
  const errors = cleared.errors;
  const d = initial;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onSubmit(definitionOf(new FormData(event.currentTarget), skills));
  }

  return (
    <form onSubmit={submit} onInput={cleared.onInput} noValidate className="definition-form">
      <ErrorMessage error={cleared.stale ? null : error} />
      <Field label="Title" name="title" required defaultValue={d.title} error={errors.title} />
      <Field
        label="Code"
        name="humanCode"
        hint="A short code people can read and type, such as SQL-101 (letters, digits, dashes). Left blank, one is made from the title."
        defaultValue={d.humanCode ?? ''}
        error={errors.humanCode}
      />
      <TextArea
        label="Description"
        name="description"
        rows={3}
        defaultValue={d.description}
        error={errors.description}
      />
      <TextArea
        label="Learning outcomes"
        name="learningOutcomes"
        rows={4}
        hint="One per line: what a learner can do after earning it."
        defaultValue={d.learningOutcomes.join('\n')}
        error={errors.learningOutcomes}
      />
      <div className="grid-3">
        <Field
          label="Workload (hours)"
          name="workloadHours"
          type="number"
          min={0}
          defaultValue={d.workloadHours || ''}
          error={errors.workloadHours}
        />
        <Field
          label="ECTS credits"
          name="ectsCredits"
          type="number"
          min={0}
          step="0.5"
          hint="25 to 30 hours per credit."
          defaultValue={d.ectsCredits ?? ''}
          error={errors.ectsCredits}
        />
        <Select
          label="EQF level"
          name="eqfLevel"
          options={eqfOptions}
          defaultValue={d.eqfLevel ? String(d.eqfLevel) : ''}
          error={errors.eqfLevel}
        />
        <Field label="NQF level" name="nqfLevel" defaultValue={d.nqfLevel ?? ''} error={errors.nqfLevel} />
        <Select
          label="Assessment"
          name="assessmentType"
          options={assessmentLabels}
          defaultValue={d.assessmentType}
          error={errors.assessmentType}
        />
        <Select
          label="Participation"
          name="participationForm"
          options={participationLabels}
          defaultValue={d.participationForm}
          error={errors.participationForm}
        />
        <Select
          label="Quality assurance"
          name="qualityAssurance"
          options={qaLabels}
          defaultValue={d.qualityAssurance}
          error={errors.qualityAssurance}
        />
        <Field
          label="Language"
          name="language"
          hint="A language tag, e.g. en or pt-PT."
          defaultValue={d.language}
          error={errors.language}
        />
        <Field
          label="Validity"
          name="validity"
          hint="How long it stays valid, e.g. P2Y; empty: no expiry."
          defaultValue={d.validity ?? ''}
          error={errors.validity}
        />
      </div>
      <TextArea
        label="Prerequisites"
        name="prerequisites"
        rows={2}
        hint="One web address per line (another achievement, a course)."
        defaultValue={d.prerequisites.join('\n')}
        error={errors.prerequisites}
      />
      <TextArea label="Criteria" name="criteria" rows={3} defaultValue={d.criteria} error={errors.criteria} />
      <TextArea
        label="Stackability"
        name="stackability"
        rows={2}
        hint="What it counts towards."
        defaultValue={d.stackability ?? ''}
        error={errors.stackability}
      />
      <div className="grid-2">
        <Field
          label="Image (URL)"
          name="image"
          type="url"
          value={image}
          onChange={(event) => setImage(event.currentTarget.value)}
          error={errors.image}
        />
        <Field
          label="Tags"
          name="tags"
          hint="Separated by commas."
          defaultValue={d.tags.join(', ')}
          error={errors.tags}
        />
      </div>
      <BadgeUpload
        orgId={orgId}
        image={image}
        onUploaded={(url) => {
          setImage(url);
          cleared.changed('image');
        }}
      />
      <SkillPicker
        value={skills}
        onChange={(next) => {
          setSkills(next);
          cleared.changed('skills');
        }}
      />
      {errors.skills && <p className="field-error">{errors.skills}</p>}
      <button type="submit" disabled={busy}>
        {busy ? 'Saving…' : submitLabel}
      </button>
    </form>
  );
}
