import * as tf from "@tensorflow/tfjs-core";

/** The attributes tfjs passes to Conv2DBackpropFilter / Conv2DBackpropInput kernels. */
export interface ConvGradAttrs {
  strides: [number, number] | number;
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dataFormat: "NHWC" | "NCHW";
  dimRoundingMode?: "floor" | "round" | "ceil";
}

export type ConvInfo = tf.backend_util.Conv2DInfo;

/** Resolves strides, padding and output sizes exactly as the stock kernels do. */
export function convInfoFor(
  xShape: readonly number[],
  filterShape: readonly number[],
  attrs: ConvGradAttrs,
  kernel: string,
): ConvInfo {
  if (attrs.dataFormat !== undefined && attrs.dataFormat !== "NHWC") {
    throw new Error(`${kernel}: expected dataFormat NHWC, got ${attrs.dataFormat}`);
  }
  if (xShape.length !== 4 || filterShape.length !== 4) {
    throw new Error(
      `${kernel}: expected rank-4 input and filter, got [${xShape}] and [${filterShape}]`,
    );
  }
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    "channelsLast",
  );
}

/** Kernels receive Tensors when called through ops; composite kernels need them as Tensors. */
export function asTensor<R extends tf.Rank>(info: tf.TensorInfo, name: string): tf.Tensor<R> {
  if (!(info instanceof tf.Tensor)) {
    throw new Error(`expected input ${name} to be a Tensor, got a bare TensorInfo`);
  }
  return info as tf.Tensor<R>;
}
