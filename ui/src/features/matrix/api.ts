// Matrix's reads and changes of the engine: the matrix of the filtered portfolio (the weight sensitivity is lib/queries' useSensitivity); it changes nothing.
import type { Filters } from "../../bindings/Filters";
import { useRead, type ReadOptions } from "../../lib/queries";

export const useMatrix = (filters: Filters, o?: ReadOptions<"matrix_get">) => useRead("matrix_get", [filters], o);
