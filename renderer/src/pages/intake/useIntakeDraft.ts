// The intake form's draft: autosaved on every change, offered back when the form opens (or restored
// straight away when the shell's start-up prompt already asked), and dropped once saved or discarded.
import type { FormInstance } from 'antd';
import { useCallback, useEffect, useRef } from 'react';
import { deleteDraft, draftPrompt, loadDraft, useDraftAutosave } from '../../drafts';
import { feedback } from '../../notify';
import { emptyValues, type IntakeContext, type IntakeDraftData, type IntakeValues } from './model';

export function useIntakeDraft({
  form,
  agentId,
  today,
  restore,
  formKey,
  context,
  onRestore,
  onFresh,
}: {
  form: FormInstance<IntakeValues>;
  agentId: string;
  today: string;
  /** The shell's start-up prompt already said "恢复": restore without asking again. */
  restore?: boolean;
  /** Changes when the form starts over (继续受理下一件), so the draft check runs again. */
  formKey: number;
  /** The state kept in the draft next to the form values. */
  context: IntakeContext;
  onRestore: (ctx: IntakeContext) => void;
  /** No draft (or it was discarded): start from scratch, e.g. prefill from a visit. */
  onFresh: (isCancelled: () => boolean) => Promise<void> | void;
}) {
  const autosave = useDraftAutosave('intake', agentId);
  const contextRef = useRef(context);
  contextRef.current = context;
  const callbacks = useRef({ onRestore, onFresh });
  callbacks.current = { onRestore, onFresh };

  const persist = useCallback(() => {
    const data: IntakeDraftData = { values: form.getFieldsValue(true) as IntakeValues, ...contextRef.current };
    autosave.save(data);
  }, [autosave, form]);

  /** Forget the draft (saved, cleared or started over): no pending write, nothing stored. */
  const discard = useCallback(() => {
    autosave.cancel();
    return deleteDraft('intake', agentId);
  }, [autosave, agentId]);

  // Offer back an unfinished draft; otherwise start fresh.
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const d = await loadDraft('intake', agentId);
      if (cancelled) return;
      const apply = (data: IntakeDraftData) => {
        form.setFieldsValue({ ...emptyValues(today), ...data.values });
        callbacks.current.onRestore({ item: data.item, known: data.known ?? null, visitId: data.visitId });
      };
      if (d && restore) {
        apply(d.data as IntakeDraftData);
        return;
      }
      if (d) {
        const ok = await new Promise<boolean>((resolve) =>
          feedback().modal.confirm({
            title: '恢复未完成的受理登记',
            content: draftPrompt('intake', d.savedAt),
            okText: '恢复',
            cancelText: '丢弃',
            closable: false,
            onOk: () => resolve(true),
            onCancel: () => resolve(false),
          }),
        );
        if (cancelled) return;
        if (ok) {
          apply(d.data as IntakeDraftData);
          return;
        }
        await deleteDraft('intake', agentId);
      }
      await callbacks.current.onFresh(() => cancelled);
    })();
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [agentId, formKey]);

  return { persist, discard, contextRef };
}
