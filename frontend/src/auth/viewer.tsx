import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useQuery } from 'urql';
import { ErrorMessage, Loading } from '../components/Feedback';
import type { MeQuery as MeQueryResult } from '../gql/graphql';
import { MeQuery } from './operations';
import { useSession } from './session';

export type Viewer = NonNullable<MeQueryResult['me']>;

/** The signed-in user (null when anonymous), and whether that is still being looked up. */
export function useViewer(): { viewer: Viewer | null; fetching: boolean } {
  const { session } = useSession();
  const [{ data, fetching }] = useQuery({ query: MeQuery, pause: !session, requestPolicy: 'cache-first' });
  if (!session) return { viewer: null, fetching: false };
  return { viewer: data?.me ?? null, fetching: fetching && !data };
}

/** Renders its children for signed-in users (operators only with `admin`); sends others to sign in. */
export function RequireAuth({ children, admin = false }: { children: ReactNode; admin?: boolean }) {
  const { session } = useSession();
  const { viewer, fetching } = useViewer();
  const location = useLocation();
  if (!session) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/login?next=${next}`} replace />;
  }
  if (fetching) return <Loading />;
  if (admin && viewer?.role !== 'ADMIN') {
    return <ErrorMessage errors={[{ code: 'FORBIDDEN', message: 'The operator console is for operators only.' }]} />;
  }
  return children;
}
