import { Sparkles } from "lucide-react";
import { EmptyState } from "@/components/FullPageState";

export function ComingSoonPage({ title }: { title: string }) {
  return (
    <div className="mx-auto w-full max-w-4xl px-4 py-8 md:px-8">
      <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
      <EmptyState icon={<Sparkles className="size-5" aria-hidden="true" />} title="Coming soon">
        <p>{title} will live here. For now, connect your tools under Settings › Integrations.</p>
      </EmptyState>
    </div>
  );
}
