import { NavLink, Outlet, useNavigate } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { LogoutMutation } from '../auth/operations';
import { useSession } from '../auth/session';
import { useViewer } from '../auth/viewer';
import { CartCountQuery } from '../cart/operations';
import { ConnectionIndicator } from './ConnectionIndicator';

function CartLink() {
  const [{ data }] = useQuery({ query: CartCountQuery });
  const count = data?.cart.itemCount ?? 0;
  return (
    <NavLink to="/cart" aria-label={`Cart, ${count} ${count === 1 ? 'item' : 'items'}`}>
      Cart <span className="count" aria-hidden="true">{count}</span>
    </NavLink>
  );
}

function AccountMenu() {
  const { session, signOut } = useSession();
  const { viewer } = useViewer();
  const [, logout] = useMutation(LogoutMutation);
  const navigate = useNavigate();
  if (!session) {
    return (
      <div className="account">
        <NavLink to="/login">Sign in</NavLink>
        <NavLink to="/register">Register</NavLink>
      </div>
    );
  }
  return (
    <div className="account">
      {viewer && <span className="account__name">{viewer.name}</span>}
      <button
        type="button"
        className="button button--quiet"
        onClick={async () => {
          // Forget the token even if the server cannot be reached: the user asked to leave.
          await logout({});
          signOut();
          void navigate('/');
        }}
      >
        Sign out
      </button>
    </div>
  );
}

/** The frame of every page: skip link, header with navigation, live-connection indicator. */
export function Layout() {
  const { session } = useSession();
  const { viewer } = useViewer();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="header">
        <div className="header__bar">
          <NavLink to="/" className="brand">
            Orderly
          </NavLink>
          <ConnectionIndicator />
          <AccountMenu />
        </div>
        <nav aria-label="Main" className="nav">
          <NavLink to="/" end>
            Catalog
          </NavLink>
          {session && (
            <>
              <NavLink to="/orders">Orders</NavLink>
              <NavLink to="/rewards">Rewards</NavLink>
              <NavLink to="/notifications">Notifications</NavLink>
              <CartLink />
            </>
          )}
          {viewer?.role === 'ADMIN' && <NavLink to="/console">Console</NavLink>}
        </nav>
      </header>
      <main id="main" className="main">
        <Outlet />
      </main>
    </>
  );
}
