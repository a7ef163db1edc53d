import { useState } from 'react';
import { endpoints } from '../../api/endpoints';
import type { ParkedMessage } from '../../api/types';
import { ActionError, useAction, type Action } from '../../components/action';
import { ErrorPanel, Tag, useLoad } from '../../components/common';
import { Button, Field, Spinner, describedBy } from '../../components/forms';
import { formatInstant } from '../../domain/time';

const STATUS: Record<ParkedMessage['status'], { text: string; tone: 'red' | 'green' | 'grey' }> = {
  none: { text: 'Unknown', tone: 'grey' },
  parked: { text: 'Parked', tone: 'red' },
  resolved: { text: 'Resolved', tone: 'green' },
  dismissed: { text: 'Dismissed', tone: 'grey' },
};

/** Commands a process manager could not apply: retry once the cause is fixed, or dismiss with a note. */
export function ParkedMessages() {
  const list = useLoad(endpoints.parkedMessages, 'parked-messages');
  const action = useAction(() => list.reload());
  const [showAll, setShowAll] = useState(false);
  const rows = (list.data ?? [])
    .filter((m) => showAll || m.status === 'parked')
    .sort((a, b) => (a.parkedAt ?? '').localeCompare(b.parkedAt ?? ''));
  return (
    <div>
      <h1>Parked messages</h1>
      <p className="lede">
        A step between two parts of the hub that was refused (for example a bed reservation for a case already discharged).
        Nothing is lost: fix the cause and retry, or dismiss it with a note saying how it was handled.
      </p>
      <div className="checkboxes__item">
        <input
          className="checkboxes__input"
          type="checkbox"
          id="parked-show-all"
          checked={showAll}
          onChange={(e) => setShowAll(e.target.checked)}
        />
        <label htmlFor="parked-show-all">Show resolved and dismissed too</label>
      </div>
      {list.error ? <ErrorPanel error={list.error} /> : null}
      {!list.data && !list.error && <Spinner label="Loading parked messages" />}
      {list.data && rows.length === 0 && <p className="inset">No parked messages{showAll ? '' : ' waiting'}.</p>}
      {rows.length > 0 && (
        <table className="table" data-testid="parked-messages">
          <caption className="visually-hidden">Parked messages, oldest first</caption>
          <thead>
            <tr>
              <th scope="col">Parked</th>
              <th scope="col">Step</th>
              <th scope="col">Why</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((m) => (
              <ParkedRow key={m.parkedId} message={m} action={action} />
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function ParkedRow({ message, action }: { message: ParkedMessage; action: Action }) {
  const id = message.parkedId ?? '';
  const [dismissing, setDismissing] = useState(false);
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string | null>(null);
  const noteId = `dismiss-note-${id}`;
  const dismiss = async () => {
    const text = note.trim();
    if (text.length < 3) return setNoteError('Enter a note of at least 3 characters saying how it was handled');
    if (text.length > 500) return setNoteError('The note must be 500 characters or fewer');
    setNoteError(null);
    if (await action.run(`dismiss-${id}`, () => endpoints.dismissParked(id, text))) setDismissing(false);
  };
  const status = STATUS[message.status];
  return (
    <tr data-parked-id={id}>
      <td>
        {formatInstant(message.parkedAt)}
        <div className="hint">
          {message.attempts} {message.attempts === 1 ? 'attempt' : 'attempts'}
        </div>
      </td>
      <td>
        {message.command?.type ?? '—'}
        <div className="hint">
          after {message.eventType} · {message.processManager}
        </div>
      </td>
      <td>
        {message.reason?.message}
        <div className="hint">{message.reason?.code}</div>
      </td>
      <td>
        <Tag tone={status.tone}>{status.text}</Tag>
      </td>
      <td>
        {message.status === 'parked' && !dismissing && (
          <div className="actions">
            <Button
              busy={action.busy === `retry-${id}`}
              busyLabel="Retrying"
              onClick={() =>
                void action.run(`retry-${id}`, async () => {
                  const result = await endpoints.retryParked(id);
                  if (result.outcome === 'refused') throw new Error('refused');
                })
              }
            >
              Retry
            </Button>
            <Button variant="secondary" onClick={() => setDismissing(true)}>
              Dismiss…
            </Button>
          </div>
        )}
        {dismissing && (
          <div className="confirm confirm--neutral">
            <Field id={noteId} label="How was it handled?" hint="No names or NHS numbers" error={noteError}>
              <textarea
                id={noteId}
                className={`textarea${noteError ? ' input--error' : ''}`}
                rows={2}
                value={note}
                onChange={(e) => setNote(e.target.value)}
                aria-invalid={!!noteError || undefined}
                aria-describedby={describedBy(noteId, { hint: true, error: noteError })}
              />
            </Field>
            <div className="actions">
              <Button busy={action.busy === `dismiss-${id}`} busyLabel="Dismissing" onClick={() => void dismiss()}>
                Dismiss
              </Button>
              <Button variant="secondary" onClick={() => setDismissing(false)}>
                Cancel
              </Button>
            </div>
          </div>
        )}
        {action.errorFor === `retry-${id}` && (
          <p className="error-message" role="alert">
            {action.error?.code === 'ERROR'
              ? 'The retry was refused again: the reason above is the latest.'
              : action.error?.message}
          </p>
        )}
        <ActionError action={action} item={`dismiss-${id}`} />
      </td>
    </tr>
  );
}
