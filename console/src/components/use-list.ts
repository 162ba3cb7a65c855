import { useCallback, useEffect, useState } from 'react';
import type { ListQuery, Page } from '../api/client';

/** The page size of every console list. */
export const PAGE_SIZE = 20;

/** A list loaded page by page, with a search term, reloaded when `key` changes or on `reload()`. */
export interface ListState<T> {
  readonly page: Page<T> | undefined;
  readonly error: unknown;
  readonly loading: boolean;
  readonly pageIndex: number;
  readonly search: string;
  setPageIndex(pageIndex: number): void;
  setSearch(term: string): void;
  reload(): void;
}

/** Loads `load({pageIndex, pageSize, searchTerm})` and keeps it current; `key` names what it depends on. */
export function useList<T>(load: (query: ListQuery) => Promise<Page<T>>, key: string): ListState<T> {
  const [page, setPage] = useState<Page<T>>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(true);
  const [pageIndex, setPageIndex] = useState(0);
  const [search, setSearchTerm] = useState('');
  const [generation, setGeneration] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for what `load` closes over
  useEffect(() => {
    let current = true;
    setLoading(true);
    load({ pageIndex, pageSize: PAGE_SIZE, searchTerm: search.trim() })
      .then((loaded) => {
        if (!current) return;
        setPage(loaded);
        setError(undefined);
      })
      .catch((failure: unknown) => {
        if (!current) return;
        setError(failure);
        setPage(undefined);
      })
      .finally(() => {
        if (current) setLoading(false);
      });
    return () => {
      current = false;
    };
  }, [key, pageIndex, search, generation]);
  const setSearch = useCallback((term: string) => {
    setSearchTerm(term);
    setPageIndex(0);
  }, []);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { page, error, loading, pageIndex, search, setPageIndex, setSearch, reload };
}
