import type { ReactNode } from 'react';

/** A clearly marked place for a screen whose API is still being built. No made-up data. */
export function ComingSoon({ title, api, children }: { title: string; api: string; children: ReactNode }) {
  return (
    <div>
      <h1>{title}</h1>
      <div className="inset">
        <p>
          <strong>Not built yet.</strong> {children}
        </p>
        <p className="hint">It needs the {api} API, which is being written now. No placeholder figures are shown.</p>
      </div>
    </div>
  );
}
