/** @file The error an ONNX export raises when a program cannot be written as an ONNX graph. */

/**
 * A program (or an option) that `onnx.exportModel` cannot write as an ONNX graph: a primitive with
 * no ONNX mapping, one that needs a newer opset than the one asked for, a non-tensor output, or a
 * symbolic dim the program does not treat as one. `primitive` names the primitive when one is to
 * blame.
 * @category Errors
 */
export class OnnxExportError extends Error {
  /** Always `"OnnxExportError"`, so that the error can be told apart once serialized or logged. */
  override readonly name = "OnnxExportError";
  constructor(
    message: string,
    /** The primitive that could not be exported, when the error is about one. */
    readonly primitive?: string,
  ) {
    super(message);
  }
}
