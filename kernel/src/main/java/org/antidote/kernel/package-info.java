/**
 * The notebook door: a Jupyter kernel on jupyter-jvm-basekernel that evaluates cells with JShell in
 * this process, on ONE long-lived thread (PyTorch keeps its grad mode per thread), with the toolkit
 * on the classpath and imported. It renders results by type (tables as HTML, charts with plotly.js
 * served offline, images as PNG, the toolkit's records), shows progress in place, understands
 * IJava's magics ({@code %classpath}, {@code %jars}, {@code %maven}, {@code %time}), and installs
 * itself as the {@code antidote} kernelspec. Cells survive their faults: an interrupt stops even a
 * tight loop ({@link org.antidote.kernel.CellStop}, no {@code Thread.stop}), an OutOfMemoryError
 * ends only its cell, and a cell's output is capped (OutputLimit).
 *
 * <p>Uses: eval, io, math, plot, train.
 *
 * <p>Used by: nothing.
 */
package org.antidote.kernel;
