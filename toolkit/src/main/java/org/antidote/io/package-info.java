/**
 * Files, done safely: atomic writes (temporary name, then rename), the one Jackson mapper every
 * artefact is written with, checksums, and the toolkit's home folder ({@code $ANTIDOTE_HOME}).
 */
package org.antidote.io;
