// Drives one Jupyter front end (JupyterLab 4 or Notebook 7) in Debian's Chromium, the way a
// researcher would, and prints what it saw as one JSON line for FrontEndsTest to judge.
//
//   node frontends.mjs '{"frontend":"lab"|"notebook7","url":"http://127.0.0.1:PORT","token":"T",
//                        "notebooks":["00.ipynb",...],"check":"check.ipynb","shots":"DIR","timeoutS":600}'
//
// Every notebook is opened, run with Run All, waited for, then described: kernel status after
// start, cells executed, tables, chart images, error outputs, and every uncaught error or console
// error the page logged. The check notebook holds an error cell, a training cell to interrupt
// (Kernel > Interrupt) and cells for Tab completion and Shift-Tab inspection.
import { chromium } from 'playwright-core';

const cfg = JSON.parse(process.argv[2]);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
const report = { frontend: cfg.frontend, notebooks: {}, check: null };

function pageUrl(name) {
  const path = cfg.frontend === 'lab' ? '/lab/tree/' : '/notebooks/';
  // JupyterLab would restore the tabs of the previous page (?reset starts with a clean workspace).
  return cfg.url + path + encodeURIComponent(name) + '?token=' + cfg.token + (cfg.frontend === 'lab' ? '&reset' : '');
}

async function open(name) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', e => errors.push('uncaught: ' + (e.stack || e.message).split('\n').slice(0, 4).join(' | ')));
  page.on('console', m => { if (m.type() === 'error') errors.push('console: ' + m.text()); });
  await page.goto(pageUrl(name));
  await page.waitForFunction(() => window.jupyterapp && window.jupyterapp.shell.currentWidget
      && window.jupyterapp.shell.currentWidget.sessionContext, null, { timeout: 120_000 });
  // The kernel's status as the page sees it, until idle (or two minutes).
  const status = await page.waitForFunction(() => {
    const w = window.jupyterapp.shell.currentWidget;
    const k = w.sessionContext.session && w.sessionContext.session.kernel;
    return k && k.status === 'idle' && k.connectionStatus === 'connected' ? 'idle' : false;
  }, null, { timeout: 120_000, polling: 250 }).then(h => h.jsonValue()).catch(async () =>
      page.evaluate(() => { const w = window.jupyterapp.shell.currentWidget;
        const k = w.sessionContext.session && w.sessionContext.session.kernel; return k ? k.status : 'no kernel'; }));
  return { context, page, errors, status };
}

// Starts a command without waiting for it: run commands resolve only when their cells finish.
const command = (page, id, args) => page.evaluate(([id, args]) => { void window.jupyterapp.commands.execute(id, args || {}); },
    [id, args]);

async function waitForRun(page, timeoutS) {
  // Done when no cell is queued or running ("[*]") and the kernel is idle again.
  await page.waitForTimeout(1000);
  await page.waitForFunction(() => {
    const w = window.jupyterapp.shell.currentWidget;
    const busy = [...w.node.querySelectorAll('.jp-InputPrompt')].some(p => p.textContent.includes('*'));
    return !busy && w.sessionContext.session.kernel.status === 'idle';
  }, null, { timeout: timeoutS * 1000, polling: 500 });
}

function describe(page) {
  return page.evaluate(() => {
    const w = window.jupyterapp.shell.currentWidget;
    const cells = w.content.widgets.filter(c => c.model.type === 'code');
    return {
      codeCells: cells.length,
      executed: cells.filter(c => c.model.executionCount !== null).length,
      tables: w.node.querySelectorAll('.jp-OutputArea-output table').length,
      chartImages: [...w.node.querySelectorAll('.jp-OutputArea-output img')]
          .filter(i => i.src.startsWith('data:image/png') && i.naturalWidth > 100).length,
      errorOutputs: [...w.node.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
          .map(e => e.textContent.slice(0, 300)).filter(t => /Exception|Error/.test(t)),
    };
  });
}

async function runAll(name) {
  const { context, page, errors, status } = await open(name);
  const started = Date.now();
  await command(page, 'notebook:run-all-cells');
  let timedOut = false;
  await waitForRun(page, cfg.timeoutS).catch(() => { timedOut = true; });
  const seen = await describe(page);
  await page.screenshot({ path: `${cfg.shots}/${cfg.label || cfg.frontend}-${name.replace('.ipynb', '')}.png`, fullPage: true });
  await context.close();
  return { statusAfterStart: status, seconds: (Date.now() - started) / 1000, timedOut, ...seen, pageErrors: errors };
}

async function selectCell(page, index) {
  await page.evaluate(i => { window.jupyterapp.shell.currentWidget.content.activeCellIndex = i; }, index);
}

// Runs cell `index` and waits until it has an execution count and the kernel is idle.
async function runCell(page, index, timeoutS) {
  await selectCell(page, index);
  await page.evaluate(i => { const w = window.jupyterapp.shell.currentWidget; w.content.widgets[i].model.executionCount = null; }, index);
  await command(page, 'notebook:run-cell');
  await page.waitForFunction(i => { const w = window.jupyterapp.shell.currentWidget;
    return w.content.widgets[i].model.executionCount !== null && w.sessionContext.session.kernel.status === 'idle'; },
  index, { timeout: timeoutS * 1000, polling: 250 });
}

async function check(name) {
  const { context, page, errors, status } = await open(name);
  const out = { statusAfterStart: status };
  const cellText = i => page.evaluate(i =>
    window.jupyterapp.shell.currentWidget.content.widgets[i].node.querySelector('.jp-OutputArea').innerText, i);
  // Cells 0-1: an error shows its message, and the next cell runs.
  for (const i of [0, 1]) {
    await runCell(page, i, 180);
  }
  out.errorCell = await cellText(0);
  out.nextCell = await cellText(1);
  // Cell 2 trains for a long time; once it reports a step, Kernel > Interrupt stops it, and cell 3 runs after.
  await selectCell(page, 2);
  await command(page, 'notebook:run-cell');
  await page.waitForFunction(() => window.jupyterapp.shell.currentWidget.content.widgets[2].node
      .querySelector('.jp-OutputArea').innerText.match(/step \d+\//), null, { timeout: 180_000, polling: 500 })
      .catch(() => {});
  const t0 = Date.now();
  await page.locator('.lm-MenuBar-itemLabel', { hasText: /^Kernel$/ }).click();
  await page.locator('.lm-Menu-itemLabel', { hasText: /^Interrupt Kernel$/ }).click();
  await waitForRun(page, 120).catch(() => {});
  out.interruptSeconds = (Date.now() - t0) / 1000;
  out.interruptedCell = await cellText(2);
  await runCell(page, 3, 120);
  out.afterInterrupt = await cellText(3);
  // Cell 4: Tab after "Corpora.bund" completes (a list, or the one completion inserted).
  await selectCell(page, 4);
  await command(page, 'notebook:enter-edit-mode');
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Tab');
  await page.waitForTimeout(3000);
  out.completions = await page.evaluate(() => [...document.querySelectorAll('.jp-Completer-item')]
      .map(e => e.textContent.trim()));
  out.completedText = await page.evaluate(() => window.jupyterapp.shell.currentWidget.content.widgets[4]
      .model.sharedModel.getSource());
  await page.keyboard.press('Escape');
  // Cell 5: Shift-Tab inside "Corpora.bundled(" shows the method's documentation.
  await selectCell(page, 5);
  await command(page, 'notebook:enter-edit-mode');
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Shift+Tab');
  await page.waitForSelector('.jp-Tooltip', { timeout: 20_000 }).catch(() => {});
  out.tooltip = await page.evaluate(() => { const t = document.querySelector('.jp-Tooltip'); return t ? t.innerText : ''; });
  await page.screenshot({ path: `${cfg.shots}/${cfg.label || cfg.frontend}-${name.replace('.ipynb', '')}.png`, fullPage: true });
  await page.keyboard.press('Escape');
  await context.close();
  out.pageErrors = errors;
  return out;
}

try {
  for (const nb of cfg.notebooks) {
    report.notebooks[nb] = await runAll(nb);
  }
  if (cfg.check) {
    report.check = await check(cfg.check);
  }
  if (cfg.peer) {
    // The same front end with the Python kernel: the errors it logs there are the front end's own.
    report.peer = await runAll(cfg.peer);
  }
} catch (e) {
  report.failure = String(e && e.stack || e);
} finally {
  await browser.close();
}
console.log('REPORT ' + JSON.stringify(report));
