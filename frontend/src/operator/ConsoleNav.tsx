import { NavLink } from 'react-router';
import './console-nav.css';

/** The console's own pages. */
export function ConsoleNav() {
  return (
    <nav aria-label="Console" className="console-nav">
      <NavLink to="/console" end>
        Orders and actions
      </NavLink>
      <NavLink to="/console/dashboard">Dashboard</NavLink>
    </nav>
  );
}
