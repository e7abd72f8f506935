package org.antidote.plot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;

/**
 * A Tablesaw figure as Plotly JSON ({@code {"data": [...], "layout": {...}}}, the content of {@code
 * application/vnd.plotly.v1+json}). Tablesaw writes figures only as JavaScript: {@code var}
 * statements holding object literals (bare keys, single-quoted strings, trailing commas), so this
 * reads that small subset of JavaScript rather than the figure's internals.
 */
final class FigureJson {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final String s;
  private int i;

  private FigureJson(String s) {
    this.s = s;
  }

  static ObjectNode of(String javascript) {
    return new FigureJson(javascript).read();
  }

  private ObjectNode read() {
    Map<String, JsonNode> vars = new HashMap<>();
    int at;
    while ((at = s.indexOf("var ", i)) >= 0) {
      i = at + 4;
      String name = identifier();
      skipSpace();
      if (i >= s.length() || s.charAt(i) != '=') {
        continue;
      }
      i++;
      skipSpace();
      if (s.startsWith("document.", i)) {
        continue; // the target div
      }
      vars.put(name, value(vars));
    }
    ObjectNode out = F.objectNode();
    JsonNode data = vars.get("data");
    JsonNode layout = vars.get("layout");
    if (!(data instanceof ArrayNode) || !(layout instanceof ObjectNode)) {
      throw new IllegalStateException(
          "Tablesaw's figure script has changed: no data or layout in it");
    }
    out.set("data", titlesAsObjects(data));
    out.set("layout", titlesAsObjects(layout));
    return out;
  }

  /**
   * Tablesaw writes {@code title: 'text'} and {@code titlefont}; plotly.js 3 (what front ends and
   * the plotly labextension bundle) dropped both, so every title becomes {@code {text, font}},
   * which plotly.js 2 reads too.
   */
  private static JsonNode titlesAsObjects(JsonNode node) {
    if (node instanceof ObjectNode o) {
      JsonNode title = o.get("title");
      if (title != null && title.isTextual()) {
        o.set("title", F.objectNode().put("text", title.asText()));
      }
      JsonNode font = o.remove("titlefont");
      if (font != null) {
        JsonNode t = o.get("title");
        if (!(t instanceof ObjectNode)) {
          t = F.objectNode();
          o.set("title", t);
        }
        ((ObjectNode) t).set("font", font);
      }
      o.properties().forEach(e -> titlesAsObjects(e.getValue()));
    } else if (node instanceof ArrayNode a) {
      a.forEach(FigureJson::titlesAsObjects);
    }
    return node;
  }

  private JsonNode value(Map<String, JsonNode> vars) {
    skipSpace();
    char c = s.charAt(i);
    if (c == '{') {
      i++;
      ObjectNode o = F.objectNode();
      while (true) {
        skipSpace();
        if (s.charAt(i) == '}') {
          i++;
          return o;
        }
        String key = s.charAt(i) == '\'' || s.charAt(i) == '"' ? string() : identifier();
        skipSpace();
        expect(':');
        o.set(key, value(vars));
        comma('}');
      }
    }
    if (c == '[') {
      i++;
      ArrayNode a = F.arrayNode();
      while (true) {
        skipSpace();
        if (s.charAt(i) == ']') {
          i++;
          return a;
        }
        JsonNode v = value(vars);
        if (v != null) {
          a.add(v);
        }
        comma(']');
      }
    }
    if (c == '\'' || c == '"') {
      return F.textNode(string());
    }
    if (c == '-' || c == '.' || Character.isDigit(c)) {
      int start = i;
      while (i < s.length() && "+-.eE0123456789".indexOf(s.charAt(i)) >= 0) {
        i++;
      }
      return F.numberNode(Double.parseDouble(s.substring(start, i)));
    }
    String word = identifier();
    return switch (word) {
      case "true" -> F.booleanNode(true);
      case "false" -> F.booleanNode(false);
      case "null" -> F.nullNode();
      default -> vars.get(word); // a trace by name; null when Tablesaw named it otherwise
    };
  }

  private String string() {
    char quote = s.charAt(i++);
    StringBuilder b = new StringBuilder();
    while (s.charAt(i) != quote) {
      char c = s.charAt(i++);
      if (c == '\\') {
        char e = s.charAt(i++);
        switch (e) {
          case 'n' -> b.append('\n');
          case 't' -> b.append('\t');
          case 'u' -> {
            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            i += 4;
          }
          default -> b.append(e);
        }
      } else {
        b.append(c);
      }
    }
    i++;
    // Tablesaw's templates escape text for HTML; the JSON holds the text itself.
    return b.toString()
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
  }

  private String identifier() {
    skipSpace();
    int start = i;
    while (i < s.length() && (Character.isJavaIdentifierPart(s.charAt(i)))) {
      i++;
    }
    if (start == i) {
      throw new IllegalStateException(
          "Tablesaw's figure script has changed: unexpected '" + s.charAt(i) + "' at " + i);
    }
    return s.substring(start, i);
  }

  private void comma(char close) {
    skipSpace();
    if (s.charAt(i) == ',') {
      i++;
    } else if (s.charAt(i) != close) {
      throw new IllegalStateException(
          "Tablesaw's figure script has changed: expected ',' or '" + close + "' at " + i);
    }
  }

  private void expect(char c) {
    if (s.charAt(i) != c) {
      throw new IllegalStateException(
          "Tablesaw's figure script has changed: expected '" + c + "' at " + i);
    }
    i++;
  }

  private void skipSpace() {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
  }
}
