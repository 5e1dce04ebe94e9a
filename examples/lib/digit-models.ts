/**
 * @file The two digit models of the examples, defined once: the MLP of example 07 and the CNN of
 * example 08. The web page (examples/web/) trains the same two, so it imports them from here
 * rather than from the Node examples.
 */
import { nn } from "../../src/index.js";

/** 784 → 256 (ReLU) → 10. */
export const digitMlp = nn.serial(nn.dense(784, 256), nn.relu, nn.dense(256, 10));

/** Two 3×3 convolutions (16 and 32 channels, ReLU, 2×2 max pooling each), then a dense layer to 10 classes. */
export const digitCnn = nn.serial(
  nn.input([28, 28, 1]),
  nn.conv2d(1, 16, 3, { padding: "same" }),
  nn.relu,
  nn.maxPool2d(2),
  nn.conv2d(16, 32, 3, { padding: "same" }),
  nn.relu,
  nn.maxPool2d(2),
  nn.flatten,
  nn.dense(7 * 7 * 32, 10),
);
