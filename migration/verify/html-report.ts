import type { ReasonSummary, SubjectReport, VerifySummary } from './verify-migration.js';
import { gainsAccess } from './verify-migration.js';

/**
 * `migrate verify --html FILE`: one self-contained page (no external file, style or script) for
 * people who never ran the CLI — what was compared, the verdict, every reason with its counts and
 * examples, and a table of every group and user that can be filtered by text, kind and outcome and
 * sorted by any column (a little inline script; without script the full table still shows).
 */

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char,
  );

const OUTCOME_TEXT = {
  broadened: 'Broadened: NextGen allows what FirstGen did not',
  defaultView: "Granted only by NextGen's default all-users view (FirstGen did not give it)",
  ambiguous: 'Ambiguous: the two readings of the FirstGen rules disagree',
  narrowed: 'Narrowed: FirstGen allowed, NextGen denies',
} as const;

const STYLE = `
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1200px;padding:0 1rem;color:#1d2330}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem}
.verdict{padding:.8rem 1rem;border-radius:6px;font-weight:600;margin:1rem 0}
.ok{background:#e3f6e8;color:#135c2a}.fail{background:#fde5e5;color:#8a1616}
.cards{display:flex;gap:.8rem;flex-wrap:wrap}.card{border:1px solid #d8dce6;border-radius:6px;padding:.6rem 1rem;min-width:8rem}
.card b{display:block;font-size:1.4rem}
table{border-collapse:collapse;width:100%;margin-top:.5rem}th,td{border-bottom:1px solid #e4e7ee;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f5f9;cursor:pointer;user-select:none;position:sticky;top:0}th.num,td.num{text-align:right}
.pill{display:inline-block;border-radius:10px;padding:0 .5rem;font-size:.8rem;font-weight:600}
.broadened,.defaultView{background:#fde5e5;color:#8a1616}.narrowed{background:#fff3d6;color:#7a5200}.ambiguous{background:#e8e6fb;color:#3b2c8f}
.controls{display:flex;gap:.8rem;align-items:center;flex-wrap:wrap;margin:.5rem 0}input,select{font:inherit;padding:.2rem .4rem}
details summary{cursor:pointer;color:#2b59c3}small{color:#5b6275}.muted{color:#5b6275}
`;

const SCRIPT = `
const table=document.getElementById('subjects');const rows=[...table.tBodies[0].rows];
const text=document.getElementById('q'),kind=document.getElementById('kind'),outcome=document.getElementById('outcome'),shown=document.getElementById('shown');
function apply(){const q=text.value.toLowerCase();let n=0;for(const r of rows){const ok=(!q||r.dataset.search.includes(q))&&(!kind.value||r.dataset.kind===kind.value)&&(!outcome.value||Number(r.dataset[outcome.value])>0);r.hidden=!ok;if(ok)n++;}shown.textContent=n+' of '+rows.length+' shown';}
[text,kind,outcome].forEach(e=>e.addEventListener('input',apply));
let sorted=-1,dir=1;table.tHead.querySelectorAll('th').forEach((th,i)=>th.addEventListener('click',()=>{dir=sorted===i?-dir:(th.classList.contains('num')?-1:1);sorted=i;
const key=r=>{const c=r.cells[i];return th.classList.contains('num')?Number(c.dataset.v):c.textContent.toLowerCase();};
rows.sort((a,b)=>{const x=key(a),y=key(b);return (x<y?-1:x>y?1:0)*dir;});for(const r of rows)table.tBodies[0].appendChild(r);}));
apply();
`;

function reasonRow(reason: ReasonSummary): string {
  return `<tr><td><span class="pill ${reason.outcome}">${reason.outcome}</span></td><td>${escapeHtml(reason.reason)}</td><td class="num">${reason.count}</td><td class="num">${reason.groups}</td><td class="num">${reason.users}</td><td><small>${reason.examples.slice(0, 3).map(escapeHtml).join('<br>')}</small></td></tr>`;
}

function subjectRow(subject: SubjectReport): string {
  const { equal, narrowed, broadened, ambiguous, defaultView } = subject.counts;
  const details =
    subject.reasons.length === 0
      ? '<span class="muted">all equal</span>'
      : `<details><summary>${subject.reasons.length} reason${subject.reasons.length === 1 ? '' : 's'}</summary><ul>${subject.reasons
          .map(
            (reason) =>
              `<li><span class="pill ${reason.outcome}">${reason.outcome}</span> ${escapeHtml(reason.reason)} — ${reason.count}<br><small>${reason.examples.map(escapeHtml).join('; ')}</small></li>`,
          )
          .join('')}</ul></details>`;
  const search = escapeHtml(`${subject.identifier} ${subject.name}`.toLowerCase());
  const num = (value: number) => `<td class="num" data-v="${value}">${value}</td>`;
  return `<tr data-kind="${subject.kind}" data-search="${search}" data-narrowed="${narrowed}" data-broadened="${broadened}" data-ambiguous="${ambiguous}" data-defaultview="${defaultView}"><td>${subject.kind}</td><td>${escapeHtml(subject.identifier)}</td><td>${escapeHtml(subject.name)}</td>${num(equal)}${num(narrowed)}${num(ambiguous)}${num(broadened)}${num(defaultView)}<td>${details}</td></tr>\n`;
}

/** The rules on which the main and the literal reading decide differently (docs/migration.md, "Two readings"). */
const READING_DIFFERENCES: readonly string[] = [
  'Implied account permissions: the main reading applies every implication the reference derives (e.g. a deprecated combined permission read by its name); the literal one only those it states.',
  '"All application entities" in an application without environments: the main reading lets it run every workflow (an empty filter means everything); the literal one applies the Deployments rule that an environment of the application must match.',
  "Build workflows (no environment) under an environment filter: the main reading keeps them in scope, as FirstGen's code does; the literal one follows the documentation sentence that environment permissions do not apply to them.",
  "Pipelines by environment: the main reading lets a stage pass through another permission's environment (FirstGen's cross-permission step); the literal one needs one permission to pass every stage.",
];

/**
 * Writes the page piece by piece to `write` (a file stream), never as one string, so its size does
 * not bound the report. `title` names the source and target.
 */
export function writeHtmlReport(
  write: (chunk: string) => void,
  title: string,
  summary: VerifySummary,
  subjects: readonly SubjectReport[],
): void {
  const { equal, narrowed, broadened, ambiguous, defaultView } = summary.totals;
  const failed = gainsAccess(summary.totals);
  write(
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>\n`,
  );
  write(`<h1>Migration check: ${escapeHtml(title)}</h1>
<p class="muted">For every FirstGen user group (judged alone) and every user (with all their groups), each thing FirstGen decides — an account permission, viewing, changing or deleting each service, environment, template, workflow and pipeline, creating them, running, rolling back or aborting each workflow, running each pipeline — was decided twice by FirstGen's rules (a main and a deliberately literal reading) and once by the migrated NextGen account, and the answers compared.</p>
<div class="verdict ${failed ? 'fail' : 'ok'}">${failed ? 'Verification FAILED: some users can do more in NextGen than they could in FirstGen.' : 'No user can do anything in NextGen that FirstGen did not allow: nothing that both readings of its rules deny is allowed. Where the two readings disagree, the decision is listed as ambiguous, with what NextGen decides.'}</div>
<div class="cards"><div class="card"><b>${summary.groups}</b>groups</div><div class="card"><b>${summary.users}</b>users</div><div class="card"><b>${summary.checksPerSubject}</b>decisions each</div><div class="card"><b>${equal}</b>equal</div><div class="card"><b>${narrowed}</b>narrowed</div><div class="card"><b>${ambiguous}</b>ambiguous</div><div class="card"><b>${broadened}</b>broadened</div><div class="card"><b>${defaultView}</b>by the default view</div></div>
<p>NextGen's default all-users view of the account (every member may view account-level resources) is <b>${summary.defaultView}</b>.</p>
<h2>What differs, and why</h2>
<dl>${(['broadened', 'defaultView', 'ambiguous', 'narrowed'] as const).map((outcome) => `<dt><span class="pill ${outcome}">${outcome}</span> ${OUTCOME_TEXT[outcome]}</dt>`).join('')}</dl>
<details><summary>Where the two readings of FirstGen's rules differ</summary><ul>${READING_DIFFERENCES.map((difference) => `<li>${difference}</li>`).join('')}</ul></details>
`);
  if (summary.reasons.length === 0) write('<p>Every decision is equal.</p>\n');
  else {
    write(
      '<table id="reasons"><thead><tr><th>Outcome</th><th>Reason</th><th class="num">Decisions</th><th class="num">Groups</th><th class="num">Users</th><th>Examples</th></tr></thead><tbody>\n',
    );
    for (const reason of summary.reasons) write(`${reasonRow(reason)}\n`);
    write('</tbody></table>\n');
  }
  write(`<h2>Every group and user</h2>
<div class="controls"><label>Search <input id="q" type="search" placeholder="name, e-mail or identifier"></label>
<label>Kind <select id="kind"><option value="">groups and users</option><option value="group">groups</option><option value="user">users</option></select></label>
<label>Show <select id="outcome"><option value="">everyone</option><option value="broadened">with broadened</option><option value="defaultview">with default-view grants</option><option value="narrowed">with narrowed</option><option value="ambiguous">with ambiguous</option></select></label>
<span id="shown" class="muted"></span><small>Click a column heading to sort.</small></div>
<table id="subjects"><thead><tr><th>Kind</th><th>Identifier</th><th>Name</th><th class="num">Equal</th><th class="num">Narrowed</th><th class="num">Ambiguous</th><th class="num">Broadened</th><th class="num">Default view</th><th>Reasons</th></tr></thead><tbody>
`);
  for (const subject of subjects) write(subjectRow(subject));
  write(`</tbody></table>\n<script>${SCRIPT}</script>\n</body></html>\n`);
}
