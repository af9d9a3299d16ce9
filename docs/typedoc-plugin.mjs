// Three things for the API site:
// - TypeDoc reads "@crm" in running text ("every algorithm in @crm …") as an unknown block tag and
//   cuts the sentence there: declare the tag and put its text back where it was;
// - modules are named by their package ("@crm/core/charts", not "core/src/charts");
// - every export must carry an @example (a warning, so an error under treatWarningsAsErrors); a
//   re-export of another package's export carries the example of what it re-exports.
import { Application, Converter, ReflectionKind } from 'typedoc';

const NAME = '@crm';

function restore(comment) {
  if (!comment?.blockTags?.some((t) => t.tag === NAME)) return;
  const kept = [];
  for (const tag of comment.blockTags) {
    if (tag.tag !== NAME) {
      kept.push(tag);
      continue;
    }
    const target = kept.length > 0 ? kept[kept.length - 1].content : comment.summary;
    target.push({ kind: 'text', text: ` ${NAME} ` }, ...tag.content);
  }
  comment.blockTags = kept;
}

/** @param {Application} app */
export function load(app) {
  app.on(Application.EVENT_BOOTSTRAP_END, () => {
    const tags = app.options.getValue('blockTags');
    if (!tags.includes(NAME)) app.options.setValue('blockTags', [...tags, NAME]);
  });
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const reflection of Object.values(context.project.reflections)) {
      restore(reflection.comment);
      for (const s of reflection.signatures ?? []) restore(s.comment);
    }
    for (const module of context.project.children ?? []) {
      const m = /^(\w+)\/src(?:\/(\w+))?$/.exec(module.name);
      if (m) module.name = `@crm/${m[1]}${m[2] ? `/${m[2]}` : ''}`;
      for (const child of module.children ?? []) {
        // A re-export of an export documented elsewhere (@crm/scoring's logGamma is @crm/core's)
        // is a reference: its example is the target's.
        const target = child.kind === ReflectionKind.Reference ? child.getTargetReflectionDeep() : child;
        const comments = [target.comment, ...(target.signatures ?? []).map((s) => s.comment)].filter(Boolean);
        if (!comments.some((c) => c.blockTags.some((t) => t.tag === '@example'))) {
          app.logger.warn(`${module.name}: ${ReflectionKind.singularString(child.kind).toLowerCase()} ${child.name} has no @example`);
        }
      }
    }
  });
}
