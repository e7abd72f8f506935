/**
 * Charts: {@link org.antidote.plot.Chart} wraps a Tablesaw/Plotly figure and saves it as a
 * self-contained HTML page or, through headless Chromium, as a PNG for papers; plotly.js comes from
 * a pinned, checksummed npm package ({@link org.antidote.plot.PlotlyJs}), never a CDN. {@link
 * org.antidote.plot.Charts} makes the study's standard figures (loss curves, ...).
 *
 * <p>Uses: io.
 *
 * <p>Used by: eval, iti, kernel, launch, lens, mix, probe, study, toy, train.
 */
package org.antidote.plot;
