import { useId } from 'react';

export interface ShownItem {
  id: string;
  stem: string;
  multiple: boolean;
  options: { id: string; text: string }[];
}

/** One question with its options: radio buttons for one answer, checkboxes for several. */
export function ItemView({
  item,
  number,
  chosen,
  disabled,
  onChange,
}: {
  item: ShownItem;
  number: number;
  chosen: string[];
  disabled?: boolean;
  onChange?: (chosen: string[]) => void;
}) {
  const id = useId();
  const toggle = (optionId: string, on: boolean) => {
    if (!item.multiple) return [optionId];
    return on ? [...chosen, optionId] : chosen.filter((c) => c !== optionId);
  };
  return (
    <fieldset className="item" aria-describedby={`${id}-kind`}>
      <legend>
        <span className="item-number">Question {number}.</span> {item.stem}
      </legend>
      <p className="hint" id={`${id}-kind`}>
        {item.multiple ? 'Choose every right answer.' : 'Choose one answer.'}
      </p>
      {item.options.map((option) => (
        <label key={option.id} className="choice">
          <input
            type={item.multiple ? 'checkbox' : 'radio'}
            name={`${id}-answer`}
            value={option.id}
            checked={chosen.includes(option.id)}
            disabled={disabled}
            readOnly={!onChange}
            onChange={(e) => onChange?.(toggle(option.id, e.target.checked))}
          />
          <span>{option.text}</span>
        </label>
      ))}
    </fieldset>
  );
}
