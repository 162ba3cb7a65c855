import type { ReactNode } from 'react';
import { ListControls } from './ui';
import { messageOf } from './use-action';
import type { ListState } from './use-list';

/** A list with its search box, pager, and the load error (if any) in words. */
export function ListSection<T>(props: {
  title: string;
  list: ListState<T>;
  searchable?: boolean;
  children: (rows: T[]) => ReactNode;
}) {
  const { list } = props;
  return (
    <section className="panel" aria-label={props.title}>
      <h2>{props.title}</h2>
      <ListControls
        {...(props.searchable === false ? {} : { search: list.search, onSearch: list.setSearch })}
        pageIndex={list.pageIndex}
        totalPages={list.page?.totalPages ?? 0}
        totalItems={list.page?.totalItems ?? 0}
        onPage={list.setPageIndex}
      />
      {list.error ? (
        <p className="form-errors" role="alert">
          {messageOf(list.error)}
        </p>
      ) : null}
      {list.loading && !list.page ? <p>Loading…</p> : null}
      {list.page ? props.children(list.page.content) : null}
    </section>
  );
}
