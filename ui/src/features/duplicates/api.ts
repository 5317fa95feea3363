// Duplicates' reads and changes of the engine: the likely duplicate pairs (merging is features/use-case's MergeDialog); it changes nothing.
import { useRead, type ReadOptions } from "../../lib/queries";

export const useDuplicatePairs = (o?: ReadOptions<"duplicate_pairs">) => useRead("duplicate_pairs", [], o);
