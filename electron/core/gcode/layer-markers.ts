/**
 * Layer-change comments, one kind per slicer family. A file may carry more than one kind (OrcaSlicer writes two),
 * so each kind is counted apart and the largest count is the layer.
 */
export const LAYER_MARKER_TEXTS = [
  ';LAYER_CHANGE', // PrusaSlicer, SuperSlicer, OrcaSlicer
  ';LAYER:', // Cura, ideaMaker
  '; CHANGE_LAYER', // Bambu Studio, OrcaSlicer
  '; BEGIN_LAYER_OBJECT', // KISSlicer
  ';; --- layer ', // Kiri:Moto
  '; layer ', // Simplify3D ("; layer 3, Z = 0.6"); a digit must follow
] as const;

/** The marker that counts only when a digit follows (Simplify3D's, which is also plain English). */
export const DIGIT_MUST_FOLLOW = 5;

/** Follows the layer through G-code lines as they go by, counting as the analyzer counts the file's layers. */
export class LayerCounter {
  private readonly counts: number[] = LAYER_MARKER_TEXTS.map(() => 0);
  private current = 0;

  /** The layer this line is in after it (1-based; 0 before the first marker). */
  see(line: string): number {
    const at = line.indexOf(';');
    if (at < 0) return this.current;
    for (let k = 0; k < LAYER_MARKER_TEXTS.length; k++) {
      const marker = LAYER_MARKER_TEXTS[k]!;
      if (!line.startsWith(marker, at)) continue;
      if (k === DIGIT_MUST_FOLLOW && !/[0-9]/.test(line.charAt(at + marker.length))) continue;
      this.counts[k]!++;
      this.current = Math.max(this.current, this.counts[k]!);
      break;
    }
    return this.current;
  }
}
