import {
  cloneElement,
  type ComponentType,
  type KeyboardEvent,
  lazy,
  type ReactElement,
  type Ref,
  type RefObject,
  useEffect,
  useRef,
  useState,
} from "react";

/**
 * The loaded component's open state: closed, or open at once when the stand-in was pressed. A press that reached the
 * stand-in after the component had mounted (it was loaded by the pointer's arrival) opens it too.
 */
export function useIntentOpen({ initialOpen }: IntentProps) {
  const [open, setOpen] = useState(initialOpen);
  useEffect(() => {
    if (initialOpen) setOpen(true);
  }, [initialOpen]);
  return [open, setOpen] as const;
}

/**
 * Props a lazily loaded menu or sheet receives: open it at once (the person already clicked or pressed Enter on the
 * stand-in trigger), and take the focus (the stand-in had it, and it is about to leave the page).
 */
export interface IntentProps {
  initialOpen: boolean;
  focusTrigger: boolean;
}

/**
 * A component fetched once, on demand: `preload()` starts it (and retries after a failed fetch), `loaded` is the
 * component once it arrived, `Component` is the same as a React.lazy component (for a Suspense boundary).
 */
export interface Preloadable<P> {
  loaded: ComponentType<P> | undefined;
  preload: () => Promise<{ default: ComponentType<P> }>;
  Component: ReturnType<typeof lazy<ComponentType<P>>>;
}

export function lazyWithPreload<P>(loader: () => Promise<{ default: ComponentType<P> }>): Preloadable<P> {
  let promise: Promise<{ default: ComponentType<P> }> | undefined;
  const handle: Preloadable<P> = {
    loaded: undefined,
    preload: () =>
      (promise ??= loader().then(
        (module) => {
          handle.loaded = module.default;
          return module;
        },
        (error) => {
          promise = undefined; // a later intent tries again (a deploy replaced the chunk, the network came back)
          throw error;
        },
      )),
    Component: lazy(() => handle.preload()),
  };
  return handle;
}

const OPEN_KEYS = new Set(["Enter", " ", "ArrowDown", "ArrowUp"]);

/**
 * Radix menus and sheets bring floating-ui, focus scopes and scroll locks (~20 kB of JavaScript gzip) that a page
 * needs only once someone opens one, while the Integrations page has a 150 kB budget (issue 10). Until then the
 * trigger renders alone (`trigger`, the very button the loaded component renders inside its Radix Trigger); pointing
 * at it, focusing or touching it fetches the implementation ("import on interaction", web.dev), and a click or an
 * opening key pressed before it arrived opens it once it has. The stand-in stays the same element until then, so
 * every event of one click reaches it; with the stand-in focused, the loaded trigger takes the focus, so a keyboard
 * user never loses their place.
 */
export function LoadOnIntent<P extends object>({
  loader,
  trigger,
  props,
}: {
  loader: Preloadable<P & IntentProps>;
  trigger: ReactElement<{ ref?: Ref<HTMLElement> }>;
  props: P;
}) {
  const [Loaded, setLoaded] = useState<ComponentType<P & IntentProps> | undefined>(() => loader.loaded);
  const [intent, setIntent] = useState<IntentProps>({ initialOpen: false, focusTrigger: false });
  const standIn = useRef<HTMLElement>(null);

  const wake = (open: boolean) => {
    const focused = standIn.current !== null && document.activeElement === standIn.current;
    setIntent((s) => ({ initialOpen: open || s.initialOpen, focusTrigger: focused || s.focusTrigger }));
    loader.preload().then(
      (module) => setLoaded(() => module.default),
      () => {}, // the stand-in stays; the next intent fetches again
    );
  };

  if (Loaded) return <Loaded {...props} {...intent} />;
  return cloneElement(trigger as ReactElement<Record<string, unknown>>, {
    ref: standIn,
    onPointerEnter: () => wake(false),
    onFocus: () => wake(false),
    onTouchStart: () => wake(false),
    // Radix opens menus on pointerdown; the stand-in remembers the press and the loaded menu opens
    onPointerDown: () => wake(true),
    onClick: () => wake(true),
    onKeyDown: (e: KeyboardEvent) => {
      if (OPEN_KEYS.has(e.key)) {
        e.preventDefault();
        wake(true);
      }
    },
  });
}

/**
 * For the loaded component: focus its trigger once mounted when the stand-in had the focus, and only if nothing else
 * took it since (the stand-in's removal leaves it on <body>). Not when it opens at once: the open menu or sheet
 * takes the focus itself, and a focused trigger would count as a focus outside that closes it.
 */
export function useTakeFocus(ref: RefObject<HTMLElement | null>, { focusTrigger, initialOpen }: IntentProps) {
  useEffect(() => {
    const active = document.activeElement;
    if (focusTrigger && !initialOpen && (active === null || active === document.body)) ref.current?.focus();
    // once, at mount: later renders must not pull the focus back
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
}
