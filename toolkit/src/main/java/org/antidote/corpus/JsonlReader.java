package org.antidote.corpus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.antidote.io.BadInputException;
import org.antidote.io.Json;

/**
 * JSON Lines: one object per line, the text, label and category in fields named by the options (a
 * dotted name reaches into nested objects), the source in {@code source} unless the options name
 * one.
 */
final class JsonlReader implements FormatReader {

  private final CorpusInput in;
  private final ReadOptions options;

  JsonlReader(CorpusInput in) {
    this.in = in;
    this.options = in.options;
  }

  @Override
  public Document read() {
    for (String l; (l = in.readLine()) != null; ) {
      if (l.isBlank()) {
        continue;
      }
      JsonNode node;
      try {
        node = Json.MAPPER.readTree(l);
      } catch (JsonProcessingException e) {
        if (in.skip()) {
          continue;
        }
        throw BadInputException.at(
            in.file,
            in.line(),
            "malformed JSON ("
                + e.getOriginalMessage()
                + "); expected one JSON object per line. Use --skip-malformed to skip such lines.");
      }
      if (node == null || !node.isObject()) {
        if (in.skip()) {
          continue;
        }
        throw BadInputException.at(
            in.file,
            in.line(),
            "expected a JSON object, found "
                + (node == null
                    ? "nothing"
                    : node.getNodeType().toString().toLowerCase(Locale.ROOT)));
      }
      JsonNode text = field(node, options.textField());
      if (text == null || !text.isTextual()) {
        if (in.skip()) {
          continue;
        }
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        throw BadInputException.at(
            in.file,
            in.line(),
            (text == null ? "no" : "a non-string")
                + " \""
                + options.textField()
                + "\" field (fields present: "
                + names
                + "); choose the text field with --text-field");
      }
      JsonNode src = node.get("source");
      String source =
          options.source() == null && src != null && src.isTextual()
              ? src.asText()
              : in.defaultSource;
      Integer label =
          options.labelField() == null ? null : in.label(field(node, options.labelField()));
      JsonNode cat = options.categoryField() == null ? null : field(node, options.categoryField());
      String category = cat == null || cat.isNull() ? null : cat.asText();
      return new Document(text.asText(), source, label, category);
    }
    return null;
  }

  /**
   * A field by name, or by a dotted path into nested objects ({@code prompt.text}); null if absent.
   */
  private static JsonNode field(JsonNode node, String name) {
    JsonNode v = name.contains(".") ? node.at("/" + name.replace('.', '/')) : node.get(name);
    return v == null || v.isMissingNode() ? null : v;
  }

  @Override
  public String expected() {
    return "JSON objects, one per line, with a \"" + options.textField() + "\" field";
  }
}
