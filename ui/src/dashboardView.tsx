// Placeholder: filled in by the view's own change.
export function DashboardView(_props: { onOpen: (id: string) => void }) {
  return <section className="view" aria-label="DashboardView" />;
}
