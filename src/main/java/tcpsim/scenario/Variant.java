package tcpsim.scenario;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One run of a scenario file: the base scenario with one combination of its {@code sweep}
 * values substituted, and the file's {@code expect} checks. Made by
 * {@link ScenarioLoader#loadVariants}.
 *
 * @param name the variant's name, also {@code scenario().name()}: the scenario's name, then
 *     {@code --key=value} for each swept key, with characters outside {@code [A-Za-z0-9._=-]}
 *     replaced by {@code _} ({@code lossy--network.loss=5_}); the base name without a sweep
 * @param baseName the scenario's own {@code name:}, before any swept value is appended
 * @param scenario the validated scenario of this variant; with a sweep its seed is
 *     {@link #deriveSeed}{@code (seed, name)}, without one the file's own seed
 * @param expectations the file's {@code expect} entries, in order (the same for every variant)
 * @param sweepValues swept key path → value as written, in the order of {@code sweep}; empty
 *     without a sweep
 */
public record Variant(
    String name, String baseName, Scenario scenario, List<Expectation> expectations,
    Map<String, String> sweepValues) {

  public Variant {
    expectations = List.copyOf(expectations);
    sweepValues = java.util.Collections.unmodifiableMap(
        new java.util.LinkedHashMap<>(sweepValues));
  }

  /**
   * The variant for people rather than folders: the scenario's name and the swept values as
   * written, {@code loss-sweep[network.loss=2%]}; the plain name without a sweep.
   */
  public String label() {
    if (sweepValues.isEmpty()) return name;
    StringBuilder b = new StringBuilder(baseName).append('[');
    sweepValues.forEach((k, v) -> b.append(b.charAt(b.length() - 1) == '[' ? "" : ", ")
        .append(k).append('=').append(v));
    return b.append(']').toString();
  }

  /**
   * The seed of a swept variant: a fixed function of the scenario's seed and the variant's name,
   * so that each variant has its own random streams and a variant keeps its seed when other
   * values are added to the sweep (and across JVMs, versions and platforms).
   *
   * <p>Definition: {@code h} = 64-bit FNV-1a of the name's UTF-8 bytes (offset basis
   * {@code 0xcbf29ce484222325}, prime {@code 0x100000001b3}); the result is
   * {@code mix64(seed ^ mix64(h))}, where {@code mix64} is the SplitMix64 finalizer
   * ({@code z ^= z >>> 30; z *= 0xbf58476d1ce4e5b9; z ^= z >>> 27; z *= 0x94d049bb133111eb;
   * z ^= z >>> 31}).
   */
  public static long deriveSeed(long seed, String name) {
    long h = 0xcbf29ce484222325L;
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return mix64(seed ^ mix64(h));
  }

  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** {@code s} with every character outside {@code [A-Za-z0-9._=-]} replaced by {@code _}. */
  static String sanitize(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == '=' || c == '-';
      sb.append(ok ? c : '_');
    }
    return sb.toString();
  }
}
