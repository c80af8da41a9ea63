import { Link, Route, Routes } from 'react-router';
import { LoginPage, RegisterPage } from './account/AuthForms';
import { RequireAuth } from './auth/viewer';
import { CartPage } from './cart/CartPage';
import { CheckoutPage } from './cart/CheckoutPage';
import { CatalogPage } from './catalog/CatalogPage';
import { ProductPage } from './catalog/ProductPage';
import { EmptyState } from './components/Feedback';
import { Layout } from './components/Layout';
import { PageHeading } from './components/PageHeading';
import { NotificationsPage } from './notifications/NotificationsPage';
import { OrderPage } from './orders/OrderPage';
import { OrdersPage } from './orders/OrdersPage';
import { ConsolePage } from './operator/ConsolePage';
import { DashboardPage } from './operator/dashboard/DashboardPage';
import { RewardsPage } from './rewards/RewardsPage';

function NotFound() {
  return (
    <>
      <PageHeading title="Not found">Page not found</PageHeading>
      <EmptyState title="There is nothing at this address.">
        <Link to="/">Back to the catalog</Link>
      </EmptyState>
    </>
  );
}

export function App() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<CatalogPage />} />
        <Route path="products/:id" element={<ProductPage />} />
        <Route path="login" element={<LoginPage />} />
        <Route path="register" element={<RegisterPage />} />
        <Route path="cart" element={<RequireAuth><CartPage /></RequireAuth>} />
        <Route path="checkout" element={<RequireAuth><CheckoutPage /></RequireAuth>} />
        <Route path="orders" element={<RequireAuth><OrdersPage /></RequireAuth>} />
        <Route path="orders/:id" element={<RequireAuth><OrderPage /></RequireAuth>} />
        <Route path="rewards" element={<RequireAuth><RewardsPage /></RequireAuth>} />
        <Route path="notifications" element={<RequireAuth><NotificationsPage /></RequireAuth>} />
        <Route path="console" element={<RequireAuth admin><ConsolePage /></RequireAuth>} />
        <Route path="console/dashboard" element={<RequireAuth admin><DashboardPage /></RequireAuth>} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
