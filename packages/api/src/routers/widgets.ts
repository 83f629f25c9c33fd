import { insertWidget, listWidgets, updateWidget } from '@parley/db';
import { z } from 'zod';
import { AppError } from '../errors';
import { adminProcedure, router } from '../trpc';
import {
  createWidgetInput,
  newSiteKey,
  newWidgetSecret,
  toWidget,
  updateWidgetInput,
  widgetDefaults,
  widgetOutput,
  widgetWithSecretOutput,
} from '../widgets/widget-settings';

/** Admins manage the sites that embed the chat widget. */
export const widgetsRouter = router({
  list: adminProcedure
    .output(z.array(widgetOutput))
    .query(async ({ ctx }) => (await listWidgets(ctx.db)).map(toWidget)),

  /** Returns the identity-verification `secret` this once. */
  create: adminProcedure
    .input(createWidgetInput)
    .output(widgetWithSecretOutput)
    .mutation(async ({ ctx, input }) => {
      // Field by field: an explicit `undefined` must not override a default.
      const row = await insertWidget(ctx.db, {
        name: input.name,
        allowedOrigins: input.allowedOrigins,
        title: input.title ?? widgetDefaults.title,
        color: input.color ?? widgetDefaults.color,
        greeting: input.greeting ?? widgetDefaults.greeting,
        position: input.position ?? widgetDefaults.position,
        requirePhone: input.requirePhone ?? widgetDefaults.requirePhone,
        enabled: input.enabled ?? widgetDefaults.enabled,
        botEnabled: input.botEnabled ?? widgetDefaults.botEnabled,
        siteKey: newSiteKey(),
        secret: newWidgetSecret(),
      });
      return { ...toWidget(row), secret: row.secret };
    }),

  /** `secret` is set only when `rotateSecret` made a new one. */
  update: adminProcedure
    .input(updateWidgetInput)
    .output(widgetWithSecretOutput)
    .mutation(async ({ ctx, input }) => {
      const { widgetId, rotateSecret, ...changes } = input;
      const secret = rotateSecret ? newWidgetSecret() : undefined;
      const row = await updateWidget(ctx.db, {
        id: widgetId,
        changes: { ...changes, ...(secret ? { secret } : {}) },
      });
      if (!row) throw new AppError('NOT_FOUND', 'Widget not found');
      return { ...toWidget(row), secret: secret ?? null };
    }),
});
